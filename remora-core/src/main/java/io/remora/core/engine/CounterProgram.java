package io.remora.core.engine;

import io.remora.core.ObjectId;
import io.remora.core.Owner;
import io.remora.core.StoredObject;
import io.remora.core.codec.WireReader;
import io.remora.core.codec.WireWriter;
import io.remora.core.exec.ExecutionContext;

/**
 * {@code counter}: a shared counter, the simplest contended object.
 *
 * <p>Object: type {@value #TYPE}, shared, contents {@code value u64 (8, big-endian, wraps mod 2^64)}.
 *
 * <pre>
 *  function   inputs                        args
 *  increment  0 counter (shared, mutable)   by i64            value += by (mod 2^64)
 *  read       0 counter (shared)            -                 emits {@value #VALUE_EVENT}(value u64)
 * </pre>
 */
public final class CounterProgram implements Program {
    public static final String NAME = "counter";
    public static final String TYPE = "counter::Counter";
    public static final String VALUE_EVENT = "counter::Value";

    CounterProgram() {
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public void call(String function, WireReader args, ExecutionContext ctx) {
        switch (function) {
            case "increment" -> {
                long by = args.i64("by");
                args.expectEnd("counter::increment");
                Objects.requireInputs(ctx, 1, "counter::increment");
                StoredObject c = Objects.input(ctx, 0, TYPE);
                ctx.chargeGas(EngineGas.ARITHMETIC);
                ctx.mutate(c.id(), Objects.u64(Objects.u64(c, TYPE) + by));
            }
            case "read" -> {
                args.expectEnd("counter::read");
                Objects.requireInputs(ctx, 1, "counter::read");
                StoredObject c = Objects.input(ctx, 0, TYPE);
                ctx.emit(VALUE_EVENT, Objects.u64(Objects.u64(c, TYPE)));
            }
            default -> throw Objects.unknownFunction(NAME, function);
        }
    }

    /** A genesis shared counter at version 1. */
    public static StoredObject genesisCounter(ObjectId id, long value) {
        return new StoredObject(id, 1, Owner.shared(1), TYPE, Objects.u64(value));
    }

    public static long value(StoredObject counter) {
        return Objects.u64(counter, TYPE);
    }

    public static byte[] incrementArgs(long by) {
        return new WireWriter(8).i64(by).toByteArray();
    }

    public static byte[] readArgs() {
        return new byte[0];
    }
}
