package io.remora.core;

import io.remora.core.codec.CodecException;
import io.remora.core.codec.WireReader;
import io.remora.core.codec.WireWriter;

/**
 * A declared transaction input.
 *
 * <pre>
 *  tag (u8) | body
 *  0 owned/immutable | ObjectRef (72): id, version, digest -- must match the store exactly
 *  1 shared          | id (32) | mutable (u8 0/1)         -- version assigned by consensus order
 * </pre>
 */
public sealed interface InputObject {
    ObjectId id();

    /** An address-owned or immutable object, by exact reference. */
    record Owned(ObjectRef ref) implements InputObject {
        @Override
        public ObjectId id() {
            return ref.id();
        }
    }

    /** A shared object by id; read-only if not {@code mutable}. */
    record Shared(ObjectId id, boolean mutable) implements InputObject {
    }

    static InputObject owned(ObjectRef ref) {
        return new Owned(ref);
    }

    static InputObject shared(ObjectId id, boolean mutable) {
        return new Shared(id, mutable);
    }

    default void encode(WireWriter w) {
        switch (this) {
            case Owned o -> {
                w.u8(0);
                o.ref().encode(w);
            }
            case Shared s -> w.u8(1).b32(s.id()).bool(s.mutable());
        }
    }

    static InputObject decode(WireReader r) {
        int at = r.position();
        int tag = r.u8("input.tag");
        return switch (tag) {
            case 0 -> new Owned(ObjectRef.decode(r));
            case 1 -> new Shared(r.objectId("input.id"), r.bool("input.mutable"));
            default -> throw new CodecException(CodecException.Kind.BAD_VALUE, "input.tag", at, "tag " + tag);
        };
    }
}
