package io.remora.core;


/**
 * The identity of an object. Created objects get ids derived from the creating transaction's digest and a counter; dynamic child objects get ids derived from their parent id and key (see {@link #derive}).
 *
 * <p>Immutable and thread-safe.
 */
public final class ObjectId extends Bytes32 {
    /** All zero bytes. */
    public static final ObjectId ZERO = new ObjectId(0, 0, 0, 0);

    private ObjectId(long w0, long w1, long w2, long w3) {
        super(w0, w1, w2, w3);
    }

    /** From four big-endian words. */
    public static ObjectId of(long w0, long w1, long w2, long w3) {
        return new ObjectId(w0, w1, w2, w3);
    }

    /** From exactly 32 bytes. */
    public static ObjectId wrap(byte[] bytes) {
        checkLength(bytes);
        return new ObjectId(word(bytes, 0), word(bytes, 8), word(bytes, 16), word(bytes, 24));
    }

    /** From 32 bytes of {@code bytes} starting at {@code offset}. */
    public static ObjectId wrap(byte[] bytes, int offset) {
        return new ObjectId(word(bytes, offset), word(bytes, offset + 8), word(bytes, offset + 16), word(bytes, offset + 24));
    }

    /** Reads 32 bytes at absolute {@code offset} (big-endian); the caller has checked the bounds. */
    public static ObjectId read(java.nio.ByteBuffer buffer, int offset) {
        return new ObjectId(readWord(buffer, offset), readWord(buffer, offset + 8),
                readWord(buffer, offset + 16), readWord(buffer, offset + 24));
    }

    /** From 64 hex digits. */
    public static ObjectId fromHex(String hex) {
        return wrap(hex(hex));
    }

    /** The id of the dynamic child of {@code parent} under {@code key}: SHA-256("child" | parent | key). */
    public static ObjectId derive(ObjectId parent, byte[] key) {
        return Hashing.sha256(Hashing.DOMAIN_CHILD, parent, key).asObjectId();
    }

    /** The id of the {@code index}-th object created by transaction {@code tx}: SHA-256("new" | tx | index). */
    public static ObjectId created(Digest tx, int index) {
        return Hashing.sha256Indexed(Hashing.DOMAIN_CREATED, tx, index).asObjectId();
    }
}
