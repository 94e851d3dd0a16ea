package io.remora.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import io.remora.core.codec.RandomValues;
import io.remora.core.codec.WireReader;
import io.remora.core.codec.WireWriter;
import io.remora.core.testkit.Seeds;
import org.junit.jupiter.api.Test;

/**
 * A {@link StoredObject} keeps its encoding once made (hashing, storing and re-sending then encode
 * it once): whatever order {@code encode}, {@code encoded} and {@code digest} are called in, on
 * small and large objects, they must agree with a fresh object's field-by-field encoding.
 */
class StoredObjectEncodingTest {
    @Test
    void shouldEncodeAndHashTheSameWhetherOrNotTheEncodingIsKept() {
        long seed = Seeds.seed("StoredObjectEncodingTest");
        RandomValues rv = new RandomValues(seed);
        for (int i = 0; i < 2_000; i++) {
            // Contents around the kept-encoding limit as well as small and large ones.
            int max = switch (i % 4) {
                case 0 -> 64;
                case 1 -> StoredObject.CACHED_ENCODING_MAX + 64;
                case 2 -> 8_192;
                default -> 200;
            };
            StoredObject o = rv.smallObject(1 + rv.nextInt(1000), max);
            byte[] reference = fieldEncoding(o);
            StoredObject a = copy(o);
            StoredObject b = copy(o);
            StoredObject c = copy(o);
            // a: digest first; b: encoded() first; c: encode() first.
            Digest da = a.digest();
            byte[] eb = b.encoded();
            byte[] ec = encode(c);
            assertArrayEquals(reference, eb, Seeds.replay(seed));
            assertArrayEquals(reference, ec, Seeds.replay(seed));
            assertArrayEquals(reference, a.encoded(), Seeds.replay(seed));
            assertArrayEquals(reference, encode(a), Seeds.replay(seed));
            assertEquals(da, b.digest(), Seeds.replay(seed));
            assertEquals(da, c.digest(), Seeds.replay(seed));
            assertEquals(Hashing.sha256(Hashing.DOMAIN_OBJECT, null, reference, 0, reference.length), da,
                    Seeds.replay(seed));
            assertEquals(o, StoredObject.decode(new WireReader(encode(a))), Seeds.replay(seed));
            if (reference.length <= StoredObject.CACHED_ENCODING_MAX) {
                assertSame(a.encoded(), a.encoded(), "a small object's encoding is kept");
            }
        }
    }

    private static StoredObject copy(StoredObject o) {
        return new StoredObject(o.id(), o.version(), o.owner(), o.typeTag(), o.contents());
    }

    private static byte[] encode(StoredObject o) {
        WireWriter w = new WireWriter(64);
        o.encode(w);
        return w.toByteArray();
    }

    /** The layout in StoredObject's class comment, written out here independently. */
    private static byte[] fieldEncoding(StoredObject o) {
        WireWriter w = new WireWriter(64);
        w.b32(o.id()).i64(o.version());
        o.owner().encode(w);
        w.shortString("typeTag", o.typeTag()).bytes("contents", o.contents(), io.remora.core.codec.Limits.MAX_OBJECT_BYTES);
        return w.toByteArray();
    }
}
