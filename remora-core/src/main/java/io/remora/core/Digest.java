package io.remora.core;


/**
 * A SHA-256 digest: of a transaction's data, an object's encoding, effects, or precompile input.
 *
 * <p>Immutable and thread-safe.
 */
public final class Digest extends Bytes32 {
    /** All zero bytes. */
    public static final Digest ZERO = new Digest(0, 0, 0, 0);

    private Digest(long w0, long w1, long w2, long w3) {
        super(w0, w1, w2, w3);
    }

    /** From four big-endian words. */
    public static Digest of(long w0, long w1, long w2, long w3) {
        return new Digest(w0, w1, w2, w3);
    }

    /** From exactly 32 bytes. */
    public static Digest wrap(byte[] bytes) {
        checkLength(bytes);
        return new Digest(word(bytes, 0), word(bytes, 8), word(bytes, 16), word(bytes, 24));
    }

    /** From 32 bytes of {@code bytes} starting at {@code offset}. */
    public static Digest wrap(byte[] bytes, int offset) {
        return new Digest(word(bytes, offset), word(bytes, offset + 8), word(bytes, offset + 16), word(bytes, offset + 24));
    }

    /** Reads 32 bytes at absolute {@code offset} (big-endian); the caller has checked the bounds. */
    public static Digest read(java.nio.ByteBuffer buffer, int offset) {
        return new Digest(readWord(buffer, offset), readWord(buffer, offset + 8),
                readWord(buffer, offset + 16), readWord(buffer, offset + 24));
    }

    /** From 64 hex digits. */
    public static Digest fromHex(String hex) {
        return wrap(hex(hex));
    }

    /** The same bytes viewed as an object id. */
    public ObjectId asObjectId() {
        return ObjectId.of(w0, w1, w2, w3);
    }

    /** The same bytes viewed as an address. */
    public Address asAddress() {
        return Address.of(w0, w1, w2, w3);
    }
}
