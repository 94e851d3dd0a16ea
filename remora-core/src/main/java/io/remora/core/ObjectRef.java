package io.remora.core;

import io.remora.core.codec.WireReader;
import io.remora.core.codec.WireWriter;

/**
 * A reference to one version of an object: {@code id (32) | version (i64) | digest (32)}.
 * Also used for recorded reads, where an absent object is {@code version 0, digest ZERO}.
 */
public record ObjectRef(ObjectId id, long version, Digest digest) {
    public static final int ENCODED_LENGTH = 72;

    /** The read of an object that does not exist (e.g. a dynamic child not yet created). */
    public static ObjectRef absent(ObjectId id) {
        return new ObjectRef(id, 0, Digest.ZERO);
    }

    public boolean isAbsent() {
        return version == 0;
    }

    public void encode(WireWriter w) {
        w.b32(id).i64(version).b32(digest);
    }

    public static ObjectRef decode(WireReader r) {
        return new ObjectRef(r.objectId("ref.id"), r.i64InRange("ref.version", 0, Long.MAX_VALUE), r.digest("ref.digest"));
    }

    @Override
    public String toString() {
        return id.toShortHex() + "@" + version;
    }
}
