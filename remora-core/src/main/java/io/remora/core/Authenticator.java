package io.remora.core;

import io.remora.core.codec.CodecException;
import io.remora.core.codec.WireReader;
import io.remora.core.codec.WireWriter;

/**
 * The result of the signature check as a pre-executor saw it:
 * {@code status u8 (0 not checked, 1 verified, 2 invalid) | verifier (u8 len + utf-8)}.
 * The verifier names the node that checked it, for audit.
 */
public record Authenticator(Status status, String verifier) {
    public enum Status {
        NOT_CHECKED, VERIFIED, INVALID
    }

    public static final Authenticator NOT_CHECKED = new Authenticator(Status.NOT_CHECKED, "");

    public boolean verified() {
        return status == Status.VERIFIED;
    }

    public void encode(WireWriter w) {
        w.u8(status.ordinal()).shortString("authenticator.verifier", verifier);
    }

    public static Authenticator decode(WireReader r) {
        int at = r.position();
        int s = r.u8("authenticator.status");
        if (s >= Status.values().length) {
            throw new CodecException(CodecException.Kind.BAD_VALUE, "authenticator.status", at, "status " + s);
        }
        return new Authenticator(Status.values()[s], r.shortString("authenticator.verifier"));
    }
}
