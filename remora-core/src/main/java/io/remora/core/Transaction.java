package io.remora.core;

import io.remora.core.codec.CodecException;
import io.remora.core.codec.Limits;
import io.remora.core.codec.WireReader;
import io.remora.core.codec.WireWriter;
import java.util.List;

/**
 * A signed transaction. The signed <em>data</em> is:
 *
 * <pre>
 *  sender (32) | publicKey (32) | nonce i64 | gasBudget i64
 *  | inputCount u16 (<= 128) | InputObject...
 *  | program (u8 len + utf-8) | function (u8 len + utf-8) | args (u32 len + bytes, <= 16 KiB)
 * </pre>
 *
 * followed on the wire by the 64-byte Ed25519 signature over the transaction digest
 * {@code SHA-256(DOMAIN_TRANSACTION | data)}. The digest identifies the transaction everywhere.
 * The whole encoding is at most {@link Limits#MAX_TRANSACTION_BYTES}.
 *
 * <p>Immutable and thread-safe. The encoded data and digest are computed once at construction.
 */
public final class Transaction {
    private final Address sender;
    private final byte[] publicKey;
    private final long nonce;
    private final long gasBudget;
    private final List<InputObject> inputs;
    private final String program;
    private final String function;
    private final byte[] args;
    private final byte[] signature;
    private final byte[] data;
    private final Digest digest;
    private volatile Digest signatureDigest;

    private Transaction(Address sender, byte[] publicKey, long nonce, long gasBudget, List<InputObject> inputs,
                        String program, String function, byte[] args, byte[] signature) {
        if (publicKey.length != Ed25519KeyPair.PUBLIC_KEY_LENGTH) {
            throw new IllegalArgumentException("publicKey.length=" + publicKey.length + " (expected: 32)");
        }
        if (signature.length != Ed25519KeyPair.SIGNATURE_LENGTH) {
            throw new IllegalArgumentException("signature.length=" + signature.length + " (expected: 64)");
        }
        if (gasBudget < 0) {
            throw new IllegalArgumentException("gasBudget=" + gasBudget + " (expected: >= 0)");
        }
        this.sender = sender;
        this.publicKey = publicKey;
        this.nonce = nonce;
        this.gasBudget = gasBudget;
        this.inputs = List.copyOf(inputs);
        this.program = program;
        this.function = function;
        this.args = args;
        this.signature = signature;
        WireWriter w = new WireWriter(160 + args.length + inputs.size() * 73);
        encodeData(w);
        if (w.length() + signature.length > Limits.MAX_TRANSACTION_BYTES) {
            throw new IllegalArgumentException("transaction size=" + (w.length() + 64)
                    + " (expected: <= " + Limits.MAX_TRANSACTION_BYTES + ")");
        }
        this.data = w.toByteArray();
        this.digest = Hashing.sha256(Hashing.DOMAIN_TRANSACTION, null, data);
    }

    /** Builds and signs a transaction with {@code key}; the sender is the key's address. */
    public static Transaction sign(Ed25519KeyPair key, long nonce, long gasBudget, List<InputObject> inputs,
                                   String program, String function, byte[] args) {
        Transaction unsigned = new Transaction(key.address(), key.publicKey(), nonce, gasBudget, inputs, program,
                function, args, new byte[64]);
        byte[] d = unsigned.digest.toBytes();
        return unsigned.withSignature(key.sign(d));
    }

    /** Assembles a transaction from its parts without signing (decoding, tests of tampering). */
    public static Transaction of(Address sender, byte[] publicKey, long nonce, long gasBudget, List<InputObject> inputs,
                                 String program, String function, byte[] args, byte[] signature) {
        return new Transaction(sender, publicKey.clone(), nonce, gasBudget, inputs, program, function, args.clone(),
                signature.clone());
    }

    /** The same data with another signature (the digest does not change). */
    public Transaction withSignature(byte[] sig) {
        return new Transaction(sender, publicKey, nonce, gasBudget, inputs, program, function, args, sig.clone());
    }

    private void encodeData(WireWriter w) {
        w.b32(sender).raw(publicKey).i64(nonce).i64(gasBudget);
        w.count16("inputs", inputs.size(), Limits.MAX_INPUTS);
        for (InputObject in : inputs) {
            in.encode(w);
        }
        w.shortString("program", program).shortString("function", function)
                .bytes("args", args, Limits.MAX_ARGUMENT_BYTES);
    }

    /** Data followed by signature; no version byte (the enclosing message carries it). */
    public void encode(WireWriter w) {
        w.raw(data).raw(signature);
    }

    public static Transaction decode(WireReader r) {
        int start = r.position();
        Address sender = r.address("tx.sender");
        byte[] pk = r.fixed("tx.publicKey", 32);
        long nonce = r.i64("tx.nonce");
        long gas = r.i64InRange("tx.gasBudget", 0, Long.MAX_VALUE);
        int n = r.count16("tx.inputs", Limits.MAX_INPUTS);
        InputObject[] in = new InputObject[n];
        for (int i = 0; i < n; i++) {
            in[i] = InputObject.decode(r);
        }
        String program = r.shortString("tx.program");
        String function = r.shortString("tx.function");
        byte[] args = r.bytes("tx.args", Limits.MAX_ARGUMENT_BYTES);
        byte[] sig = r.fixed("tx.signature", 64);
        if (r.position() - start > Limits.MAX_TRANSACTION_BYTES) {
            throw new CodecException(CodecException.Kind.LIMIT_EXCEEDED,
                    "tx", start, "size " + (r.position() - start));
        }
        try {
            return new Transaction(sender, pk, nonce, gas, List.of(in), program, function, args, sig);
        } catch (IllegalArgumentException e) {
            throw new CodecException(CodecException.Kind.BAD_VALUE, "tx", start, e.getMessage());
        }
    }

    /**
     * Checks the authenticator: the sender is the public key's address and the signature verifies
     * over the digest. This is the expensive check (~50 µs) that lookup tables let the primary skip.
     */
    public boolean verifySignature() {
        if (!Address.fromPublicKey(publicKey).equals(sender)) {
            return false;
        }
        byte[] d = digest.toBytes();
        return Ed25519KeyPair.verify(publicKey, d, 0, d.length, signature);
    }

    public Digest digest() {
        return digest;
    }

    /**
     * SHA-256(DOMAIN_SIGNATURE | signature): names the exact signature, which the digest does not
     * cover. A pre-executor's "verified" status is trusted only for this signature.
     */
    public Digest signatureDigest() {
        Digest d = signatureDigest;
        if (d == null) {
            d = Hashing.sha256(Hashing.DOMAIN_SIGNATURE, null, signature);
            signatureDigest = d;
        }
        return d;
    }

    public Address sender() {
        return sender;
    }

    public byte[] publicKey() {
        return publicKey.clone();
    }

    public long nonce() {
        return nonce;
    }

    public long gasBudget() {
        return gasBudget;
    }

    public List<InputObject> inputs() {
        return inputs;
    }

    /** Whether it declares at least one input and every one of them is in {@code ids}. */
    public boolean declaresOnly(java.util.Set<ObjectId> ids) {
        if (inputs.isEmpty() || ids.isEmpty()) {
            return false;
        }
        for (InputObject in : inputs) {
            if (!ids.contains(in.id())) {
                return false;
            }
        }
        return true;
    }

    public String program() {
        return program;
    }

    public String function() {
        return function;
    }

    /** The call arguments; do not modify. */
    public byte[] args() {
        return args;
    }

    public byte[] signature() {
        return signature.clone();
    }

    /** Length of {@link #encode} output. */
    public int encodedLength() {
        return data.length + signature.length;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Transaction t && digest.equals(t.digest) && java.util.Arrays.equals(signature, t.signature);
    }

    @Override
    public int hashCode() {
        return digest.hashCode();
    }

    @Override
    public String toString() {
        return "Tx(" + digest.toShortHex() + " " + program + "::" + function + " inputs=" + inputs.size() + ")";
    }
}
