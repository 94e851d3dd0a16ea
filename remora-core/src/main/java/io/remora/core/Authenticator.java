package io.remora.core;

import io.remora.core.codec.CodecException;
import io.remora.core.codec.WireReader;
import io.remora.core.codec.WireWriter;

/**
 * The result of the signature check as a pre-executor saw it:
 *
 * <pre>
 *  status u8 (0 not checked, 1 verified, 2 invalid) | signatureDigest (32) | verifier (u8 len + utf-8)
 * </pre>
 *
 * The signature digest names the exact signature that was checked
 * ({@link Transaction#signatureDigest()}): the transaction digest covers only the signed data, so
 * a copy of a transaction with another (say, broken) signature has the same digest. A verified
 * status is therefore trusted only {@link #verifiedFor for the transaction carrying that
 * signature}. The verifier names the node that checked, for audit.
 */
public record Authenticator(Status status, String verifier, Digest signatureDigest) {
    public enum Status {
        NOT_CHECKED, VERIFIED, INVALID
    }

    public static final Authenticator NOT_CHECKED = new Authenticator(Status.NOT_CHECKED, "", Digest.ZERO);

    /** A verified status for {@code tx}'s own signature. */
    public static Authenticator verified(Transaction tx, String verifier) {
        return new Authenticator(Status.VERIFIED, verifier, tx.signatureDigest());
    }

    /** An invalid status for {@code tx}'s own signature. */
    public static Authenticator invalid(Transaction tx, String verifier) {
        return new Authenticator(Status.INVALID, verifier, tx.signatureDigest());
    }

    public boolean verified() {
        return status == Status.VERIFIED;
    }

    /** True if this says {@code tx}'s exact signature verified: only then may a check be skipped. */
    public boolean verifiedFor(Transaction tx) {
        return status == Status.VERIFIED && signatureDigest.equals(tx.signatureDigest());
    }

    public void encode(WireWriter w) {
        w.u8(status.ordinal()).b32(signatureDigest).shortString("authenticator.verifier", verifier);
    }

    public static Authenticator decode(WireReader r) {
        int at = r.position();
        int s = r.u8("authenticator.status");
        if (s >= Status.values().length) {
            throw new CodecException(CodecException.Kind.BAD_VALUE, "authenticator.status", at, "status " + s);
        }
        Digest sig = r.digest("authenticator.signatureDigest");
        return new Authenticator(Status.values()[s], r.shortString("authenticator.verifier"), sig);
    }
}
