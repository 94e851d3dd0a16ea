package io.remora.core.engine;

import io.remora.core.Address;
import io.remora.core.ObjectId;
import io.remora.core.Owner;
import io.remora.core.StoredObject;
import io.remora.core.codec.WireReader;
import io.remora.core.codec.WireWriter;
import io.remora.core.exec.ExecutionContext;

/**
 * {@code compute}: the Pilotfish "Fib-N" synthetic load. Each call runs {@code n} iterations of a
 * Fibonacci recurrence mod 2^64, seeded from an owned accumulator, so every transaction touches one
 * owned object and costs a tunable amount of CPU: about a nanosecond per iteration, so n = 1,000 is
 * a microsecond and n = 1,000,000 a millisecond.
 *
 * <p>Object: type {@value #TYPE}, address-owned, contents {@code value u64 (8, big-endian)}.
 *
 * <pre>
 *  function  inputs                               args
 *  fib       0 accumulator (owned by sender)      n i64 (0..{@value #MAX_N})
 * </pre>
 *
 * {@code fib}: {@code a = value, b = value + 1}, then n times {@code (a, b) = (b, a + b)}; writes
 * {@code b} to the accumulator and emits {@value #RESULT_EVENT}({@code b u64}). Gas:
 * {@link EngineGas#FIB_ITERATION} per iteration, charged per chunk of {@link EngineGas#FIB_CHUNK}
 * before the chunk runs.
 */
public final class ComputeProgram implements Program {
    public static final String NAME = "compute";
    public static final String TYPE = "compute::Accumulator";
    public static final String RESULT_EVENT = "compute::Result";
    public static final long MAX_N = 1_000_000_000L;

    ComputeProgram() {
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public void call(String function, WireReader args, ExecutionContext ctx) {
        if (!function.equals("fib")) {
            throw Objects.unknownFunction(NAME, function);
        }
        long n = args.i64InRange("n", 0, MAX_N);
        args.expectEnd("compute::fib");
        Objects.requireInputs(ctx, 1, "compute::fib");
        StoredObject acc = Objects.input(ctx, 0, TYPE);
        long a = Objects.u64(acc, TYPE);
        long b = a + 1;
        long done = 0;
        while (done < n) {
            long chunk = Math.min(EngineGas.FIB_CHUNK, n - done);
            ctx.chargeGas(chunk * EngineGas.FIB_ITERATION);
            for (long i = 0; i < chunk; i++) {
                long t = a + b;
                a = b;
                b = t;
            }
            done += chunk;
        }
        ctx.mutate(acc.id(), Objects.u64(b));
        ctx.emit(RESULT_EVENT, Objects.u64(b));
    }

    /** The reference result of {@code fib(n)} from accumulator value {@code value}. */
    public static long reference(long value, long n) {
        long a = value;
        long b = value + 1;
        for (long i = 0; i < n; i++) {
            long t = a + b;
            a = b;
            b = t;
        }
        return b;
    }

    /** A genesis shared accumulator (anyone may run {@code fib} on it), at version 1. */
    public static StoredObject genesisSharedAccumulator(ObjectId id, long value) {
        return new StoredObject(id, 1, io.remora.core.Owner.shared(1), TYPE, Objects.u64(value));
    }

    /** A genesis accumulator owned by {@code owner}, at version 1. */
    public static StoredObject genesisAccumulator(ObjectId id, Address owner, long value) {
        return new StoredObject(id, 1, Owner.address(owner), TYPE, Objects.u64(value));
    }

    public static long value(StoredObject accumulator) {
        return Objects.u64(accumulator, TYPE);
    }

    public static byte[] fibArgs(long n) {
        return new WireWriter(8).i64(n).toByteArray();
    }

    /** A gas budget that covers {@code fib(n)} with room to spare. */
    public static long gasBudgetFor(long n) {
        return 20_000 + n * EngineGas.FIB_ITERATION + EngineGas.FIB_CHUNK;
    }
}
