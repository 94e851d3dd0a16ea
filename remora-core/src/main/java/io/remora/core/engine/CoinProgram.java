package io.remora.core.engine;

import io.remora.core.Address;
import io.remora.core.ObjectId;
import io.remora.core.Owner;
import io.remora.core.StoredObject;
import io.remora.core.codec.WireReader;
import io.remora.core.codec.WireWriter;
import io.remora.core.exec.ExecutionContext;
import io.remora.core.exec.ProgramAbort;

/**
 * {@code coin}: a fungible coin. Transfer, split and merge conserve the total balance; mint is open
 * to any sender (a test chain).
 *
 * <p>Object: type {@value #TYPE}, contents {@code balance u64 (8, big-endian, 0..2^63-1)}.
 *
 * <pre>
 *  function  inputs                         args
 *  mint      -                              amount i64 (0..2^62)     creates a coin owned by the sender
 *  transfer  0 coin (owned by sender)       recipient address (32)   moves the whole coin
 *  split     0 coin (owned by sender)       amount i64 | recipient   new coin of amount for recipient
 *  merge     0 coin, 1..n coins (sender's)  -                        adds 1..n into 0, deletes 1..n
 * </pre>
 *
 * Aborts: {@value #INSUFFICIENT_BALANCE} split of more than the balance; {@value #OVERFLOW} a merge
 * whose total exceeds 2^63-1.
 */
public final class CoinProgram implements Program {
    public static final String NAME = "coin";
    public static final String TYPE = "coin::Coin";
    public static final int INSUFFICIENT_BALANCE = 1001;
    public static final int OVERFLOW = 1002;
    /** Largest amount one mint may create. */
    public static final long MAX_MINT = 1L << 62;

    CoinProgram() {
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public void call(String function, WireReader args, ExecutionContext ctx) {
        switch (function) {
            case "mint" -> {
                long amount = args.i64InRange("amount", 0, MAX_MINT);
                args.expectEnd("coin::mint");
                ctx.create(Owner.address(ctx.transaction().sender()), TYPE, Objects.u64(amount));
            }
            case "transfer" -> {
                Address recipient = args.address("recipient");
                args.expectEnd("coin::transfer");
                Objects.requireInputs(ctx, 1, "coin::transfer");
                StoredObject coin = Objects.input(ctx, 0, TYPE);
                ctx.transfer(coin.id(), Owner.address(recipient));
            }
            case "split" -> {
                long amount = args.i64InRange("amount", 0, Long.MAX_VALUE);
                Address recipient = args.address("recipient");
                args.expectEnd("coin::split");
                Objects.requireInputs(ctx, 1, "coin::split");
                StoredObject coin = Objects.input(ctx, 0, TYPE);
                long balance = balance(coin);
                ctx.chargeGas(EngineGas.ARITHMETIC);
                if (amount > balance) {
                    throw ctx.abort(INSUFFICIENT_BALANCE, "split " + amount + " of balance " + balance);
                }
                ctx.mutate(coin.id(), Objects.u64(balance - amount));
                ctx.create(Owner.address(recipient), TYPE, Objects.u64(amount));
            }
            case "merge" -> {
                args.expectEnd("coin::merge");
                Objects.requireInputs(ctx, 1, "coin::merge");
                StoredObject target = Objects.input(ctx, 0, TYPE);
                long total = balance(target);
                int n = ctx.inputCount();
                for (int i = 1; i < n; i++) {
                    StoredObject c = Objects.input(ctx, i, TYPE);
                    ctx.chargeGas(EngineGas.ARITHMETIC);
                    try {
                        total = Math.addExact(total, balance(c));
                    } catch (ArithmeticException e) {
                        throw ctx.abort(OVERFLOW, "merged balance exceeds 2^63-1");
                    }
                    ctx.delete(c.id());
                }
                ctx.mutate(target.id(), Objects.u64(total));
            }
            default -> throw Objects.unknownFunction(NAME, function);
        }
    }

    /** The balance of a coin object. */
    public static long balance(StoredObject coin) {
        long b = Objects.u64(coin, TYPE);
        if (b < 0) {
            throw new ProgramAbort(io.remora.core.ExecutionStatus.BAD_ARGUMENTS, "negative balance");
        }
        return b;
    }

    /** A genesis coin at version 1. */
    public static StoredObject genesisCoin(ObjectId id, Address owner, long balance) {
        return new StoredObject(id, 1, Owner.address(owner), TYPE, Objects.u64(balance));
    }

    public static byte[] mintArgs(long amount) {
        return new WireWriter(8).i64(amount).toByteArray();
    }

    public static byte[] transferArgs(Address recipient) {
        return new WireWriter(32).b32(recipient).toByteArray();
    }

    public static byte[] splitArgs(long amount, Address recipient) {
        return new WireWriter(40).i64(amount).b32(recipient).toByteArray();
    }

    public static byte[] mergeArgs() {
        return new byte[0];
    }
}
