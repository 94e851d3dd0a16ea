package io.remora.core;

import io.remora.core.codec.CodecException;
import io.remora.core.codec.Limits;
import io.remora.core.codec.WireReader;
import io.remora.core.codec.WireWriter;
import java.util.Arrays;

/**
 * One version of an object.
 *
 * <pre>
 *  0        32         40           41+
 *  +--------+----------+------------+----------------+--------------------------+
 *  | id 32  | version  | owner      | type tag       | contents                 |
 *  |        | i64      | (see Owner)| u8 len + utf-8 | u32 len + bytes (<=64KiB)|
 *  +--------+----------+------------+----------------+--------------------------+
 * </pre>
 *
 * The digest is SHA-256(DOMAIN_OBJECT | that encoding); it is not carried on the wire but computed
 * (once, lazily) from the contents, so a digest can never disagree with what it names.
 *
 * <p>Immutable and thread-safe (the contents array is never exposed for writing: callers must not
 * mutate the array returned by {@link #contents()}).
 */
public final class StoredObject {
    private final ObjectId id;
    private final long version;
    private final Owner owner;
    private final String typeTag;
    private final byte[] contents;
    /** Objects up to this many content bytes are encoded for hashing in {@link #DIGEST_SCRATCH}. */
    private static final int SCRATCH_CONTENTS = 4096;
    private static final ThreadLocal<WireWriter> DIGEST_SCRATCH =
            ThreadLocal.withInitial(() -> new WireWriter(SCRATCH_CONTENTS + 512));

    private volatile Digest digest;
    /**
     * The encoding, kept once made (the first time it is needed, always from the fields, never
     * from received bytes) so that hashing, storing and re-sending an object encode it once; only
     * for encodings of at most {@link #CACHED_ENCODING_MAX} bytes, so that large objects are not
     * held twice. Volatile: published with its contents.
     */
    private volatile byte[] encoding;
    /** Encodings up to this size are kept (a coin is ~110 bytes). */
    static final int CACHED_ENCODING_MAX = 1024;

    public StoredObject(ObjectId id, long version, Owner owner, String typeTag, byte[] contents) {
        if (version < 1) {
            throw new IllegalArgumentException("version=" + version + " (expected: >= 1)");
        }
        if (contents.length > Limits.MAX_OBJECT_BYTES) {
            throw new IllegalArgumentException("contents.length=" + contents.length + " (expected: <= " + Limits.MAX_OBJECT_BYTES + ")");
        }
        this.id = id;
        this.version = version;
        this.owner = owner;
        this.typeTag = typeTag;
        this.contents = contents;
    }

    public ObjectId id() {
        return id;
    }

    public long version() {
        return version;
    }

    public Owner owner() {
        return owner;
    }

    public String typeTag() {
        return typeTag;
    }

    /** The contents; do not modify the returned array. */
    public byte[] contents() {
        return contents;
    }

    /** This object at another version and owner, same type and contents. */
    public StoredObject withVersionAndOwner(long newVersion, Owner newOwner) {
        return new StoredObject(id, newVersion, newOwner, typeTag, contents);
    }

    public Digest digest() {
        Digest d = digest;
        if (d == null) {
            byte[] e = encoding;
            if (e == null) {
                e = cacheEncoding();
            }
            if (e != null) {
                d = Hashing.sha256(Hashing.DOMAIN_OBJECT, null, e, 0, e.length);
            } else {
                // Too large to keep: a per-thread scratch writer (or a one-off one) for hashing.
                WireWriter w = contents.length <= SCRATCH_CONTENTS ? DIGEST_SCRATCH.get().reset() : new WireWriter(64 + contents.length);
                encodeFields(w);
                d = Hashing.sha256(Hashing.DOMAIN_OBJECT, null, w.array(), 0, w.length());
            }
            digest = d;
        }
        return d;
    }

    /** Whether {@link #digest()} has been computed already (by any thread). */
    public boolean hasDigest() {
        return digest != null;
    }

    /**
     * The encoding (see the class comment) as a shared array: callers must not modify it. Kept
     * for later calls if at most {@value #CACHED_ENCODING_MAX} bytes.
     */
    public byte[] encoded() {
        byte[] e = encoding;
        if (e == null) {
            e = cacheEncoding();
            if (e == null) {
                WireWriter w = new WireWriter(64 + contents.length);
                encodeFields(w);
                e = w.toByteArray();
            }
        }
        return e;
    }

    /** Encodes and keeps the encoding if small enough; null if too large to keep. */
    private byte[] cacheEncoding() {
        if (contents.length > CACHED_ENCODING_MAX) {
            return null;
        }
        WireWriter w = DIGEST_SCRATCH.get().reset();
        encodeFields(w);
        if (w.length() > CACHED_ENCODING_MAX) {
            return null;
        }
        byte[] e = w.toByteArray();
        encoding = e;
        return e;
    }


    public ObjectRef ref() {
        return new ObjectRef(id, version, digest());
    }

    public void encode(WireWriter w) {
        byte[] e = encoding;
        if (e != null) {
            w.raw(e);
        } else {
            encodeFields(w);
        }
    }

    private void encodeFields(WireWriter w) {
        w.b32(id).i64(version);
        owner.encode(w);
        w.shortString("object.typeTag", typeTag).bytes("object.contents", contents, Limits.MAX_OBJECT_BYTES);
    }

    public static StoredObject decode(WireReader r) {
        int at = r.position();
        ObjectId id = r.objectId("object.id");
        long version = r.i64InRange("object.version", 1, Long.MAX_VALUE);
        Owner owner = Owner.decode(r);
        String type = r.shortString("object.typeTag");
        byte[] contents = r.bytes("object.contents", Limits.MAX_OBJECT_BYTES);
        try {
            return new StoredObject(id, version, owner, type, contents);
        } catch (IllegalArgumentException e) {
            throw new CodecException(CodecException.Kind.BAD_VALUE, "object", at, e.getMessage());
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof StoredObject s && id.equals(s.id) && version == s.version && owner.equals(s.owner)
                && typeTag.equals(s.typeTag) && Arrays.equals(contents, s.contents);
    }

    @Override
    public int hashCode() {
        return id.hashCode() * 31 + Long.hashCode(version);
    }

    @Override
    public String toString() {
        return "StoredObject(" + id.toShortHex() + "@" + version + " " + typeTag + " " + owner + " " + contents.length + "B)";
    }
}
