package io.remora.core.engine;

import io.remora.core.ObjectId;
import io.remora.core.Owner;
import io.remora.core.StoredObject;
import io.remora.core.codec.WireReader;
import io.remora.core.codec.WireWriter;
import io.remora.core.exec.ExecutionContext;

/**
 * {@code registry}: a shared map whose entries are dynamic child objects. The entries are not
 * declared inputs: they are derived from the registry id and key ({@link ObjectId#derive}) and read
 * during execution, so they reach the primary only through the lookup table.
 *
 * <p>Objects: the registry, type {@value #TYPE}, shared, contents {@code entryCount u64}; each entry,
 * type {@value #ENTRY_TYPE}, owned by the registry object, contents = the value bytes.
 *
 * <pre>
 *  function  inputs                         args
 *  put       0 registry (shared, mutable)   key (u32 len + bytes, 1..64) | value (u32 len + bytes, <= 1024)
 *  get       0 registry (shared)            key
 *  remove    0 registry (shared, mutable)   key
 * </pre>
 *
 * {@code put} creates or replaces the entry and counts new entries in the registry; {@code get}
 * emits {@value #GET_EVENT}(found u8 | value bytes) (absent keys are fine); {@code remove} deletes the
 * entry and decrements the count, or does nothing for an absent key.
 */
public final class RegistryProgram implements Program {
    public static final String NAME = "registry";
    public static final String TYPE = "registry::Registry";
    public static final String ENTRY_TYPE = "registry::Entry";
    public static final String GET_EVENT = "registry::Get";
    public static final int MAX_KEY = 64;
    public static final int MAX_VALUE = 1024;

    RegistryProgram() {
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public void call(String function, WireReader args, ExecutionContext ctx) {
        switch (function) {
            case "put" -> {
                byte[] key = key(args);
                byte[] value = args.bytes("value", MAX_VALUE);
                args.expectEnd("registry::put");
                ctx.chargeGas((key.length + value.length) * EngineGas.PER_ARG_BYTE);
                StoredObject reg = registry(ctx);
                StoredObject existing = ctx.readChild(reg.id(), key);
                ctx.writeChild(reg.id(), key, ENTRY_TYPE, value);
                if (existing == null) {
                    ctx.mutate(reg.id(), Objects.u64(Objects.u64(reg, TYPE) + 1));
                }
            }
            case "get" -> {
                byte[] key = key(args);
                args.expectEnd("registry::get");
                ctx.chargeGas(key.length * EngineGas.PER_ARG_BYTE);
                StoredObject reg = registry(ctx);
                StoredObject entry = ctx.readChild(reg.id(), key);
                WireWriter w = new WireWriter(8 + MAX_VALUE);
                if (entry == null) {
                    w.u8(0);
                } else {
                    Objects.requireType(entry, ENTRY_TYPE);
                    w.u8(1).raw(entry.contents());
                }
                ctx.emit(GET_EVENT, w.toByteArray());
            }
            case "remove" -> {
                byte[] key = key(args);
                args.expectEnd("registry::remove");
                ctx.chargeGas(key.length * EngineGas.PER_ARG_BYTE);
                StoredObject reg = registry(ctx);
                StoredObject entry = ctx.readChild(reg.id(), key);
                if (entry != null) {
                    ctx.delete(entry.id());
                    ctx.mutate(reg.id(), Objects.u64(Objects.u64(reg, TYPE) - 1));
                }
            }
            default -> throw Objects.unknownFunction(NAME, function);
        }
    }

    private static byte[] key(WireReader args) {
        byte[] key = args.bytes("key", MAX_KEY);
        if (key.length == 0) {
            throw Objects.badArgs("empty registry key");
        }
        return key;
    }

    private static StoredObject registry(ExecutionContext ctx) {
        Objects.requireInputs(ctx, 1, "registry");
        return Objects.input(ctx, 0, TYPE);
    }

    /** A genesis shared registry with no entries, at version 1. */
    public static StoredObject genesisRegistry(ObjectId id) {
        return new StoredObject(id, 1, Owner.shared(1), TYPE, Objects.u64(0));
    }

    /** The number of entries a registry object counts. */
    public static long entryCount(StoredObject registry) {
        return Objects.u64(registry, TYPE);
    }

    /** The id of the entry under {@code key}. */
    public static ObjectId entryId(ObjectId registry, byte[] key) {
        return ObjectId.derive(registry, key);
    }

    public static byte[] putArgs(byte[] key, byte[] value) {
        return new WireWriter(8 + key.length + value.length).bytes("key", key, MAX_KEY)
                .bytes("value", value, MAX_VALUE).toByteArray();
    }

    public static byte[] getArgs(byte[] key) {
        return new WireWriter(4 + key.length).bytes("key", key, MAX_KEY).toByteArray();
    }

    public static byte[] removeArgs(byte[] key) {
        return getArgs(key);
    }
}
