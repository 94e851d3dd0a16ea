package io.remora.core;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * SHA-256 with domain separation. Every digest in Remora starts with a one-byte domain tag so that
 * an object digest can never be confused with a transaction digest over the same bytes.
 *
 * <p>Thread-safe: each thread uses its own {@link MessageDigest}.
 */
public final class Hashing {
    public static final byte DOMAIN_TRANSACTION = 1;
    public static final byte DOMAIN_OBJECT = 2;
    public static final byte DOMAIN_EFFECTS = 3;
    public static final byte DOMAIN_CHILD = 4;
    public static final byte DOMAIN_CREATED = 5;
    public static final byte DOMAIN_ADDRESS = 6;
    public static final byte DOMAIN_PRECOMPILE_INPUT = 7;
    // 8 was DOMAIN_STATE_ENTRY: retired, the state digest now sums object digests directly.
    public static final byte DOMAIN_LOOKUP = 9;
    public static final byte DOMAIN_SIGNATURE = 10;
    /** The exact transactions of a stored commit chunk (digests and signature digests). */
    public static final byte DOMAIN_COMMIT_CONTENT = 11;

    private static final ThreadLocal<Scratch> SCRATCH = ThreadLocal.withInitial(Scratch::new);

    private Hashing() {
    }

    private static final class Scratch {
        final MessageDigest sha;
        final byte[] word = new byte[32];
        final byte[] out = new byte[32];

        Scratch() {
            try {
                sha = MessageDigest.getInstance("SHA-256");
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException("SHA-256 unavailable", e);
            }
        }
    }

    /** SHA-256(domain | prefix? | data[offset, offset+length)). */
    public static Digest sha256(byte domain, Bytes32 prefix, byte[] data, int offset, int length) {
        Scratch s = SCRATCH.get();
        MessageDigest sha = s.sha;
        sha.update(domain);
        if (prefix != null) {
            prefix.writeTo(s.word, 0);
            sha.update(s.word, 0, 32);
        }
        sha.update(data, offset, length);
        return finish(s);
    }

    /** SHA-256(domain | prefix? | data). */
    public static Digest sha256(byte domain, Bytes32 prefix, byte[] data) {
        return sha256(domain, prefix, data, 0, data.length);
    }

    /** SHA-256(domain | value | index as 4 big-endian bytes). */
    public static Digest sha256Indexed(byte domain, Bytes32 value, int index) {
        Scratch s = SCRATCH.get();
        MessageDigest sha = s.sha;
        sha.update(domain);
        value.writeTo(s.word, 0);
        sha.update(s.word, 0, 32);
        sha.update((byte) (index >>> 24));
        sha.update((byte) (index >>> 16));
        sha.update((byte) (index >>> 8));
        sha.update((byte) index);
        return finish(s);
    }


    private static Digest finish(Scratch s) {
        try {
            s.sha.digest(s.out, 0, 32);
        } catch (java.security.DigestException e) {
            throw new IllegalStateException(e);
        }
        return Digest.wrap(s.out, 0);
    }

    /** Raw SHA-256 of {@code data}, no domain tag (for the hash precompile). */
    public static byte[] rawSha256(byte[] data, int offset, int length) {
        MessageDigest sha = SCRATCH.get().sha;
        sha.update(data, offset, length);
        return sha.digest();
    }
}
