package io.remora.core;

import io.remora.core.codec.CodecException;
import io.remora.core.codec.WireReader;
import io.remora.core.codec.WireWriter;

/**
 * Who may use an object as a transaction input.
 *
 * <pre>
 *  tag (u8) | body
 *  0 address-owned | address (32)
 *  1 shared        | initial shared version (i64)
 *  2 immutable     | (empty)
 *  3 object-owned  | parent object id (32)   -- dynamic children of a parent object
 * </pre>
 */
public sealed interface Owner {
    /** Owned by an account; only its signer may use it, by exact reference. */
    record AddressOwner(Address address) implements Owner {
    }

    /** Shared: any transaction may use it by id; consensus orders its users. */
    record Shared(long initialVersion) implements Owner {
    }

    /** Immutable: readable by anyone by reference, never written. */
    record Immutable() implements Owner {
    }

    /** A dynamic child of another object: reachable only through its parent. */
    record ObjectOwner(ObjectId parent) implements Owner {
    }

    Immutable IMMUTABLE = new Immutable();

    static Owner address(Address a) {
        return new AddressOwner(a);
    }

    static Owner shared(long initialVersion) {
        return new Shared(initialVersion);
    }

    static Owner parent(ObjectId parent) {
        return new ObjectOwner(parent);
    }

    default void encode(WireWriter w) {
        switch (this) {
            case AddressOwner a -> w.u8(0).b32(a.address());
            case Shared s -> w.u8(1).i64(s.initialVersion());
            case Immutable i -> w.u8(2);
            case ObjectOwner o -> w.u8(3).b32(o.parent());
        }
    }

    static Owner decode(WireReader r) {
        int at = r.position();
        int tag = r.u8("owner.tag");
        return switch (tag) {
            case 0 -> new AddressOwner(r.address("owner.address"));
            case 1 -> new Shared(r.i64InRange("owner.initialVersion", 0, Long.MAX_VALUE));
            case 2 -> IMMUTABLE;
            case 3 -> new ObjectOwner(r.objectId("owner.parent"));
            default -> throw new CodecException(CodecException.Kind.BAD_VALUE, "owner.tag", at, "tag " + tag);
        };
    }
}
