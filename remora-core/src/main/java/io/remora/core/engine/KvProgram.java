package io.remora.core.engine;

import io.remora.core.ObjectId;
import io.remora.core.Owner;
import io.remora.core.StoredObject;
import io.remora.core.codec.WireReader;
import io.remora.core.codec.WireWriter;
import io.remora.core.exec.ExecutionContext;

/**
 * {@code kv}: YCSB-style records, one shared object per record.
 *
 * <p>Object: type {@value #TYPE}, shared, contents = the record value (at most {@value #MAX_VALUE} bytes).
 *
 * <pre>
 *  function  inputs                        args
 *  read      0 record (shared)             -                                     emits {@value #READ_EVENT}(value)
 *  update    0 record (shared, mutable)    value (u32 len + bytes, <= 4096)      replaces the value
 * </pre>
 */
public final class KvProgram implements Program {
    public static final String NAME = "kv";
    public static final String TYPE = "kv::Record";
    public static final String READ_EVENT = "kv::Value";
    public static final int MAX_VALUE = 4096;

    KvProgram() {
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public void call(String function, WireReader args, ExecutionContext ctx) {
        switch (function) {
            case "read" -> {
                args.expectEnd("kv::read");
                Objects.requireInputs(ctx, 1, "kv::read");
                StoredObject rec = Objects.input(ctx, 0, TYPE);
                ctx.emit(READ_EVENT, rec.contents());
            }
            case "update" -> {
                byte[] value = args.bytes("value", MAX_VALUE);
                args.expectEnd("kv::update");
                Objects.requireInputs(ctx, 1, "kv::update");
                StoredObject rec = Objects.input(ctx, 0, TYPE);
                ctx.chargeGas(value.length * EngineGas.PER_ARG_BYTE);
                ctx.mutate(rec.id(), value);
            }
            default -> throw Objects.unknownFunction(NAME, function);
        }
    }

    /** A genesis shared record at version 1. */
    public static StoredObject genesisRecord(ObjectId id, byte[] value) {
        return new StoredObject(id, 1, Owner.shared(1), TYPE, value.clone());
    }

    public static byte[] readArgs() {
        return new byte[0];
    }

    public static byte[] updateArgs(byte[] value) {
        return new WireWriter(4 + value.length).bytes("value", value, MAX_VALUE).toByteArray();
    }
}
