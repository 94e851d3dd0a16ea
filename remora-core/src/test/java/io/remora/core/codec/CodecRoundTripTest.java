package io.remora.core.codec;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.remora.core.Commit;
import io.remora.core.Effects;
import io.remora.core.PreExecResult;
import io.remora.core.StoredObject;
import io.remora.core.Transaction;
import io.remora.core.codec.WireTypes.WireType;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Round trips every wire type on {@value #INSTANCES} seeded random instances:
 * {@code decode(encode(x)).equals(x)} and re-encoding is byte-identical. Prints its seed; replay with
 * {@code -Dremora.seed=<seed>}.
 */
class CodecRoundTripTest {
    static final int INSTANCES = 10_000;
    private static long seed;

    @BeforeAll
    static void seed() {
        seed = RandomValues.seed("CodecRoundTripTest");
    }

    @TestFactory
    Stream<DynamicTest> shouldRoundTripEveryType() {
        List<WireType<?>> all = new ArrayList<>(WireTypes.MESSAGES);
        all.addAll(WireTypes.VALUES);
        return all.stream().map(t -> DynamicTest.dynamicTest(t.name(), () -> roundTrip(t)));
    }

    private static <T> void roundTrip(WireType<T> type) {
        RandomValues rv = new RandomValues(seed ^ type.name().hashCode());
        for (int i = 0; i < INSTANCES; i++) {
            T x = type.generator().apply(rv);
            byte[] bytes = type.encoder().apply(x);
            T y = type.decoder().apply(bytes);
            String where = type.name() + " #" + i + " (seed " + seed + ")";
            assertEquals(x, y, where);
            assertEquals(x.hashCode(), y.hashCode(), where);
            assertArrayEquals(bytes, type.encoder().apply(y), where);
        }
    }

    /** The writer form appends at the writer's position; the buffer form honours offset and length. */
    @Test
    void shouldEncodeIntoReusedWriterAndDecodeAtOffset() {
        RandomValues rv = new RandomValues(seed);
        WireWriter w = new WireWriter(16);
        for (int i = 0; i < 2_000; i++) {
            String where = "#" + i + " (seed " + seed + ")";
            w.reset();
            byte[] junk = rv.bytes(rv.nextInt(9));
            w.raw(junk);
            switch (i % 5) {
                case 0 -> {
                    Transaction x = rv.transaction();
                    int n = MessageCodec.encode(x, w);
                    assertArrayEquals(MessageCodec.encode(x), slice(w, junk.length, n), where);
                    w.raw(rv.bytes(3));
                    assertEquals(x, MessageCodec.decodeTransaction(java.nio.ByteBuffer.wrap(w.array()), junk.length, n), where);
                }
                case 1 -> {
                    StoredObject x = rv.storedObject();
                    int n = MessageCodec.encode(x, w);
                    assertArrayEquals(MessageCodec.encode(x), slice(w, junk.length, n), where);
                    w.raw(rv.bytes(3));
                    assertEquals(x, MessageCodec.decodeObject(java.nio.ByteBuffer.wrap(w.array()), junk.length, n), where);
                }
                case 2 -> {
                    Effects x = rv.effects();
                    int n = MessageCodec.encode(x, w);
                    assertArrayEquals(MessageCodec.encode(x), slice(w, junk.length, n), where);
                    w.raw(rv.bytes(3));
                    assertEquals(x, MessageCodec.decodeEffects(java.nio.ByteBuffer.wrap(w.array()), junk.length, n), where);
                }
                case 3 -> {
                    PreExecResult x = rv.preExecResult();
                    int n = MessageCodec.encode(x, w);
                    assertArrayEquals(MessageCodec.encode(x), slice(w, junk.length, n), where);
                    w.raw(rv.bytes(3));
                    assertEquals(x, MessageCodec.decodePreExecResult(java.nio.ByteBuffer.wrap(w.array()), junk.length, n), where);
                }
                default -> {
                    Commit x = rv.commit();
                    int n = MessageCodec.encode(x, w);
                    assertArrayEquals(MessageCodec.encode(x), slice(w, junk.length, n), where);
                    w.raw(rv.bytes(3));
                    assertEquals(x, MessageCodec.decodeCommit(java.nio.ByteBuffer.wrap(w.array()), junk.length, n), where);
                }
            }
        }
    }

    @Test
    void shouldPeekTheMessageType() {
        RandomValues rv = new RandomValues(seed);
        byte[] tx = MessageCodec.encode(rv.transaction());
        assertEquals(MessageCodec.MessageType.TRANSACTION, MessageCodec.peekType(java.nio.ByteBuffer.wrap(tx), 0, tx.length));
        byte[] c = MessageCodec.encode(rv.commit());
        assertEquals(MessageCodec.MessageType.COMMIT, MessageCodec.peekType(java.nio.ByteBuffer.wrap(c), 0, c.length));
    }

    /** The committed fuzz corpus stays meaningful: its {@code valid-*} seeds decode, its {@code malformed-*} ones do not. */
    @Test
    void shouldDecodeTheValidSeedsOfTheFuzzCorpus() throws Exception {
        String[] methods = {"fuzzTransaction", "fuzzObject", "fuzzEffects", "fuzzPreExecResult", "fuzzCommit"};
        java.nio.file.Path root = java.nio.file.Path.of(
                CodecRoundTripTest.class.getResource("MessageCodecFuzzTestInputs").toURI());
        for (int t = 0; t < methods.length; t++) {
            WireType<?> type = WireTypes.MESSAGES.get(t);
            int valid = 0;
            int malformed = 0;
            try (var files = java.nio.file.Files.list(root.resolve(methods[t]))) {
                for (java.nio.file.Path f : files.toList()) {
                    Object decoded = WireTypes.decodeOrReject(type, java.nio.file.Files.readAllBytes(f));
                    String name = f.getFileName().toString();
                    boolean isValid = name.startsWith("valid-");
                    if (name.startsWith("mutated-")) {
                        continue; // a bit flip may or may not land in a checked field
                    }
                    assertEquals(isValid, decoded != null, f.toString());
                    if (isValid) {
                        valid++;
                    } else {
                        malformed++;
                    }
                }
            }
            org.junit.jupiter.api.Assertions.assertTrue(valid >= 3 && malformed >= 3, methods[t] + ": " + valid + "/" + malformed);
        }
    }

    private static byte[] slice(WireWriter w, int offset, int length) {
        byte[] out = new byte[length];
        System.arraycopy(w.array(), offset, out, 0, length);
        return out;
    }
}
