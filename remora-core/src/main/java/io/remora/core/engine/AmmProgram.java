package io.remora.core.engine;

import io.remora.core.ExecutionStatus;
import io.remora.core.ObjectId;
import io.remora.core.Owner;
import io.remora.core.StoredObject;
import io.remora.core.codec.WireReader;
import io.remora.core.codec.WireWriter;
import io.remora.core.exec.ExecutionContext;
import io.remora.core.exec.ProgramAbort;
import java.math.BigInteger;

/**
 * {@code amm}: a constant-product (x * y = k) pool, the typical hot shared object. The engine has a
 * single coin type, so both sides of the pool are denominated in {@code coin::Coin} units: a swap
 * takes {@code amountIn} from the trader's coin into one reserve and pays the output as a new coin.
 *
 * <p>Object: type {@value #TYPE}, shared, contents:
 *
 * <pre>
 *  0           8           16          18
 *  +-----------+-----------+-----------+
 *  | reserveA  | reserveB  | feeBps    |
 *  | i64 (>0)  | i64 (>0)  | u16 <10000|
 *  +-----------+-----------+-----------+
 *
 *  function  inputs                                         args
 *  swap      0 pool (shared, mutable), 1 coin (sender's)    amountIn i64 (>0) | aToB u8 | minOut i64
 * </pre>
 *
 * {@code out = amountIn*(10000-fee)*reserveOut / (reserveIn*10000 + amountIn*(10000-fee))}, rounded
 * down. The coin loses {@code amountIn}, the pool's input reserve gains it and its output reserve
 * loses {@code out}, and a new coin of {@code out} goes to the sender; emits
 * {@value #SWAP_EVENT}(amountIn i64 | out i64). Aborts: {@value #SLIPPAGE} if {@code out < minOut},
 * {@link CoinProgram#INSUFFICIENT_BALANCE} if the coin holds less than {@code amountIn},
 * {@value #RESERVE_OVERFLOW} if a reserve would exceed 2^63-1.
 */
public final class AmmProgram implements Program {
    public static final String NAME = "amm";
    public static final String TYPE = "amm::Pool";
    public static final String SWAP_EVENT = "amm::Swap";
    public static final int SLIPPAGE = 2001;
    public static final int RESERVE_OVERFLOW = 2002;
    private static final BigInteger BPS = BigInteger.valueOf(10_000);

    /** A pool's state. */
    public record Pool(long reserveA, long reserveB, int feeBps) {
        public Pool {
            if (reserveA <= 0 || reserveB <= 0 || feeBps < 0 || feeBps >= 10_000) {
                throw new IllegalArgumentException("pool=" + reserveA + "/" + reserveB + "/" + feeBps
                        + " (expected: reserves > 0, 0 <= feeBps < 10000)");
            }
        }

        byte[] encode() {
            return new WireWriter(18).i64(reserveA).i64(reserveB).u16(feeBps).toByteArray();
        }

        /** The output of swapping {@code amountIn}, rounded down. */
        public long amountOut(long amountIn, boolean aToB) {
            BigInteger in = BigInteger.valueOf(amountIn).multiply(BPS.subtract(BigInteger.valueOf(feeBps)));
            BigInteger rIn = BigInteger.valueOf(aToB ? reserveA : reserveB);
            BigInteger rOut = BigInteger.valueOf(aToB ? reserveB : reserveA);
            return in.multiply(rOut).divide(rIn.multiply(BPS).add(in)).longValueExact();
        }
    }

    AmmProgram() {
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public void call(String function, WireReader args, ExecutionContext ctx) {
        if (!function.equals("swap")) {
            throw Objects.unknownFunction(NAME, function);
        }
        long amountIn = args.i64InRange("amountIn", 1, Long.MAX_VALUE);
        boolean aToB = args.bool("aToB");
        long minOut = args.i64InRange("minOut", 0, Long.MAX_VALUE);
        args.expectEnd("amm::swap");
        Objects.requireInputs(ctx, 2, "amm::swap");
        StoredObject poolObject = Objects.input(ctx, 0, TYPE);
        StoredObject coin = Objects.input(ctx, 1, CoinProgram.TYPE);
        Pool pool = pool(poolObject);
        long balance = CoinProgram.balance(coin);
        if (amountIn > balance) {
            throw ctx.abort(CoinProgram.INSUFFICIENT_BALANCE, "swap " + amountIn + " of balance " + balance);
        }
        ctx.chargeGas(EngineGas.SWAP);
        long out = pool.amountOut(amountIn, aToB);
        if (out < minOut) {
            throw ctx.abort(SLIPPAGE, "out " + out + " < minOut " + minOut);
        }
        Pool next;
        try {
            next = aToB
                    ? new Pool(Math.addExact(pool.reserveA(), amountIn), pool.reserveB() - out, pool.feeBps())
                    : new Pool(pool.reserveA() - out, Math.addExact(pool.reserveB(), amountIn), pool.feeBps());
        } catch (ArithmeticException | IllegalArgumentException e) {
            throw ctx.abort(RESERVE_OVERFLOW, "reserve out of range: " + e.getMessage());
        }
        ctx.mutate(poolObject.id(), next.encode());
        ctx.mutate(coin.id(), Objects.u64(balance - amountIn));
        ctx.create(Owner.address(ctx.transaction().sender()), CoinProgram.TYPE, Objects.u64(out));
        ctx.emit(SWAP_EVENT, new WireWriter(16).i64(amountIn).i64(out).toByteArray());
    }

    /** Decodes a pool object. */
    public static Pool pool(StoredObject o) {
        Objects.requireType(o, TYPE);
        byte[] c = o.contents();
        if (c.length != 18) {
            throw new ProgramAbort(ExecutionStatus.BAD_ARGUMENTS, "pool contents of " + c.length + " bytes");
        }
        WireReader r = new WireReader(c);
        try {
            return new Pool(r.i64("reserveA"), r.i64("reserveB"), r.u16("feeBps"));
        } catch (IllegalArgumentException e) {
            throw new ProgramAbort(ExecutionStatus.BAD_ARGUMENTS, e.getMessage());
        }
    }

    /** A genesis shared pool at version 1. */
    public static StoredObject genesisPool(ObjectId id, Pool pool) {
        return new StoredObject(id, 1, Owner.shared(1), TYPE, pool.encode());
    }

    public static byte[] swapArgs(long amountIn, boolean aToB, long minOut) {
        return new WireWriter(17).i64(amountIn).bool(aToB).i64(minOut).toByteArray();
    }
}
