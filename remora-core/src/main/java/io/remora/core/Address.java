package io.remora.core;


/**
 * An account address: the SHA-256 of the account's Ed25519 public key (see {@link #fromPublicKey}).
 *
 * <p>Immutable and thread-safe.
 */
public final class Address extends Bytes32 {
    /** All zero bytes. */
    public static final Address ZERO = new Address(0, 0, 0, 0);

    private Address(long w0, long w1, long w2, long w3) {
        super(w0, w1, w2, w3);
    }

    /** From four big-endian words. */
    public static Address of(long w0, long w1, long w2, long w3) {
        return new Address(w0, w1, w2, w3);
    }

    /** From exactly 32 bytes. */
    public static Address wrap(byte[] bytes) {
        checkLength(bytes);
        return new Address(word(bytes, 0), word(bytes, 8), word(bytes, 16), word(bytes, 24));
    }

    /** From 32 bytes of {@code bytes} starting at {@code offset}. */
    public static Address wrap(byte[] bytes, int offset) {
        return new Address(word(bytes, offset), word(bytes, offset + 8), word(bytes, offset + 16), word(bytes, offset + 24));
    }

    /** Reads 32 bytes at absolute {@code offset} (big-endian); the caller has checked the bounds. */
    public static Address read(java.nio.ByteBuffer buffer, int offset) {
        return new Address(readWord(buffer, offset), readWord(buffer, offset + 8),
                readWord(buffer, offset + 16), readWord(buffer, offset + 24));
    }

    /** From 64 hex digits. */
    public static Address fromHex(String hex) {
        return wrap(hex(hex));
    }

    /** The address of an Ed25519 public key: SHA-256("addr" | key). */
    public static Address fromPublicKey(byte[] publicKey) {
        return Hashing.sha256(Hashing.DOMAIN_ADDRESS, null, publicKey).asAddress();
    }
}
