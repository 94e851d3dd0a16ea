package io.remora.core.engine;

import io.remora.core.Address;
import io.remora.core.ObjectId;
import io.remora.core.Owner;
import io.remora.core.StoredObject;
import io.remora.core.codec.WireReader;
import io.remora.core.codec.WireWriter;
import io.remora.core.exec.ExecutionContext;

/**
 * {@code hash}: contracts that call the precompiles, so their outputs land in the lookup table and
 * hinted re-execution can reuse them.
 *
 * <p>Object: type {@value #TYPE}, address-owned, contents = the last digest (32 bytes; zeros at genesis).
 *
 * <pre>
 *  function  inputs                          args
 *  digest    0 digest object (sender's)      rounds i32 (1..10000) | data (u32 len + bytes, <= 8192)
 *  verify    -                               message (u32 len + bytes, <= 8192) | publicKey (32) | signature (64)
 * </pre>
 *
 * {@code digest} stores {@link Sha256Precompile}(rounds, data) in the object and emits
 * {@value #DIGEST_EVENT}(digest). {@code verify} calls {@link Ed25519VerifyPrecompile} and aborts with
 * {@value #INVALID_SIGNATURE} if the signature does not verify, else emits {@value #VERIFIED_EVENT}(publicKey).
 */
public final class HashProgram implements Program {
    public static final String NAME = "hash";
    public static final String TYPE = "hash::Digest";
    public static final String DIGEST_EVENT = "hash::Digest";
    public static final String VERIFIED_EVENT = "hash::Verified";
    public static final int INVALID_SIGNATURE = 4001;
    public static final int MAX_DATA = 8192;

    HashProgram() {
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public void call(String function, WireReader args, ExecutionContext ctx) {
        switch (function) {
            case "digest" -> {
                int rounds = args.i32("rounds");
                byte[] data = args.bytes("data", MAX_DATA);
                args.expectEnd("hash::digest");
                if (rounds < 1 || rounds > Sha256Precompile.MAX_ROUNDS) {
                    throw Objects.badArgs("rounds=" + rounds + " (expected: 1.." + Sha256Precompile.MAX_ROUNDS + ")");
                }
                Objects.requireInputs(ctx, 1, "hash::digest");
                StoredObject target = Objects.input(ctx, 0, TYPE);
                byte[] out = ctx.precompile(Sha256Precompile.ID, Sha256Precompile.input(rounds, data));
                ctx.mutate(target.id(), out);
                ctx.emit(DIGEST_EVENT, out);
            }
            case "verify" -> {
                byte[] message = args.bytes("message", MAX_DATA);
                byte[] pk = args.fixed("publicKey", 32);
                byte[] sig = args.fixed("signature", 64);
                args.expectEnd("hash::verify");
                byte[] out = ctx.precompile(Ed25519VerifyPrecompile.ID, Ed25519VerifyPrecompile.input(pk, sig, message));
                if (out.length != 1 || out[0] != 1) {
                    throw ctx.abort(INVALID_SIGNATURE, "signature does not verify");
                }
                ctx.emit(VERIFIED_EVENT, pk);
            }
            default -> throw Objects.unknownFunction(NAME, function);
        }
    }

    /** A genesis digest object (32 zero bytes) owned by {@code owner}, at version 1. */
    public static StoredObject genesisDigest(ObjectId id, Address owner) {
        return new StoredObject(id, 1, Owner.address(owner), TYPE, new byte[32]);
    }

    public static byte[] digestArgs(int rounds, byte[] data) {
        return new WireWriter(8 + data.length).i32(rounds).bytes("data", data, MAX_DATA).toByteArray();
    }

    public static byte[] verifyArgs(byte[] message, byte[] publicKey, byte[] signature) {
        return new WireWriter(100 + message.length).bytes("message", message, MAX_DATA).raw(publicKey)
                .raw(signature).toByteArray();
    }
}
