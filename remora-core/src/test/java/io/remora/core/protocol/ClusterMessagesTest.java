package io.remora.core.protocol;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.remora.core.ObjectId;
import io.remora.core.PreExecResult;
import io.remora.core.codec.CodecException;
import io.remora.core.codec.CodecException.Kind;
import io.remora.core.codec.RandomValues;
import io.remora.core.codec.WireWriter;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Round trips and malformed input for every cluster message. Prints its seed; replay with
 * {@code -Dremora.seed=<seed>}.
 */
class ClusterMessagesTest {
    static final int INSTANCES = 500;
    private static long seed;

    @BeforeAll
    static void seed() {
        seed = RandomValues.seed("ClusterMessagesTest");
    }

    @TestFactory
    Stream<DynamicTest> shouldRoundTripEveryMessage() {
        return RandomMessages.ALL.stream().map(g -> DynamicTest.dynamicTest(g.name(), () -> {
            RandomValues rv = new RandomValues(seed ^ g.name().hashCode());
            WireWriter w = new WireWriter(16);
            for (int i = 0; i < INSTANCES; i++) {
                String where = g.name() + " #" + i + " (seed " + seed + ")";
                ClusterMessage m = g.generate().apply(rv);
                assertEquals(g.name(), ClusterMessages.typeName(m.type()), where);
                byte[] bytes = ClusterMessages.encode(m);
                ClusterMessage back = ClusterMessages.decode(m.type(), bytes);
                assertEquals(m, back, where);
                assertArrayEquals(bytes, ClusterMessages.encode(back), where);
                // The writer form appends at an offset; the buffer form honours offset and length.
                w.reset().raw(new byte[i % 7]);
                int n = ClusterMessages.encode(m, w);
                w.raw(new byte[3]);
                assertEquals(m, ClusterMessages.decode(m.type(), java.nio.ByteBuffer.wrap(w.array()), i % 7, n), where);
            }
        }));
    }

    /**
     * encode(message) goes through a per-thread scratch: what it returns must be an exact, unshared
     * copy, equal to a fresh writer's bytes, also after a message that grew the scratch past what a
     * thread keeps, and after one that was refused half-written.
     */
    @Test
    void shouldEncodeThroughTheScratchAsAFreshWriterWould() {
        RandomValues rv = new RandomValues(seed ^ 0x5C);
        List<io.remora.core.StoredObject> big = List.of(
                new io.remora.core.StoredObject(rv.objectId(), 1, io.remora.core.Owner.shared(1), "blob", rv.bytes(40_000)),
                new io.remora.core.StoredObject(rv.objectId(), 2, io.remora.core.Owner.shared(1), "blob", rv.bytes(40_000)));
        ClusterMessage large = new SnapshotChunk(1, 2, 0, false, big);
        ClusterMessage small = RandomMessages.execute(rv);
        byte[] smallBefore = ClusterMessages.encode(small);
        byte[] largeBytes = ClusterMessages.encode(large);
        assertTrue(largeBytes.length > ClusterMessages.SCRATCH_KEEP_BYTES, "the large message must outgrow the kept scratch");
        assertArrayEquals(fresh(large), largeBytes);
        byte[] smallAfter = ClusterMessages.encode(small);
        assertArrayEquals(fresh(small), smallAfter);
        assertArrayEquals(smallBefore, smallAfter, "an earlier result changed: it shares the scratch");
        assertEquals(large, ClusterMessages.decode(large.type(), largeBytes));
        List<io.remora.core.StoredObject> tooMany = new java.util.ArrayList<>();
        for (int i = 0; i * 60_000 <= ClusterMessages.MAX_PAYLOAD_BYTES; i++) {
            tooMany.add(new io.remora.core.StoredObject(rv.objectId(), 1, io.remora.core.Owner.shared(1), "blob", rv.bytes(60_000)));
        }
        assertThrows(IllegalArgumentException.class, () -> ClusterMessages.encode(new SnapshotChunk(1, 2, 0, false, tooMany)));
        assertArrayEquals(fresh(small), ClusterMessages.encode(small), "after a refused message");
    }

    private static byte[] fresh(ClusterMessage m) {
        WireWriter w = new WireWriter(16);
        ClusterMessages.encode(m, w);
        return w.toByteArray();
    }

    @Test
    void shouldBuildTheExecuteOfAReceivedTransactionFrameByteForByte() {
        RandomValues rv = new RandomValues(seed ^ 0xE3);
        for (int i = 0; i < INSTANCES; i++) {
            io.remora.core.Transaction tx = rv.transaction();
            byte[] frame = io.remora.core.codec.MessageCodec.encode(tx);
            byte[] payload = ClusterMessages.executeOfTransactionFrame(frame);
            assertArrayEquals(ClusterMessages.encode(Execute.of(tx)), payload, "#" + i + " (seed " + seed + ")");
            assertEquals(Execute.of(tx), ClusterMessages.decode(ClusterMessages.EXECUTE, payload));
        }
        assertThrows(IllegalArgumentException.class, () -> ClusterMessages.executeOfTransactionFrame(new byte[2]));
    }

    @Test
    void shouldRoundTripLoadReports() {
        RandomValues rv = new RandomValues(seed);
        for (int i = 0; i < INSTANCES; i++) {
            LoadReport r = RandomMessages.loadReport(rv);
            byte[] bytes = ClusterMessages.encode(r);
            assertEquals(r.busy() < 0 ? LoadReport.LENGTH : LoadReport.LENGTH_WITH_BUSY, bytes.length);
            assertEquals(r, ClusterMessages.decodeLoad(bytes), "#" + i + " (seed " + seed + ")");
        }
    }

    /** The busy field is there exactly when its flag says so, and in range. */
    @Test
    void shouldCarryTheBusyFieldOnlyWithItsFlag() {
        LoadReport with = new LoadReport(LoadReport.FLAG_SYNCED, 4, 10, 100, 7, 8_500);
        assertEquals(LoadReport.FLAG_SYNCED | LoadReport.FLAG_BUSY, with.flags(), "the constructor adds the flag");
        assertEquals(0.85, with.busyShare(), 1e-9);
        byte[] bytes = ClusterMessages.encode(with);
        assertEquals(8_500, ClusterMessages.decodeLoad(bytes).busy());
        byte[] without = ClusterMessages.encode(new LoadReport(LoadReport.FLAG_SYNCED, 4, 10, 100, 7));
        assertEquals(-1, ClusterMessages.decodeLoad(without).busy(), "an older-style report: not reported");
        assertEquals(-1, ClusterMessages.decodeLoad(without).busyShare());
        byte[] flagNoField = without.clone();
        flagNoField[LoadReport.FLAGS_OFFSET] |= LoadReport.FLAG_BUSY;
        assertThrows(io.remora.core.codec.CodecException.class, () -> ClusterMessages.decodeLoad(flagNoField));
        byte[] fieldNoFlag = bytes.clone();
        fieldNoFlag[LoadReport.FLAGS_OFFSET] &= (byte) ~LoadReport.FLAG_BUSY;
        assertThrows(io.remora.core.codec.CodecException.class, () -> ClusterMessages.decodeLoad(fieldNoFlag),
                "two trailing bytes");
        byte[] over = bytes.clone();
        over[LoadReport.BUSY_OFFSET] = (byte) 0xFF;
        over[LoadReport.BUSY_OFFSET + 1] = (byte) 0xFF;
        io.remora.core.codec.CodecException e = assertThrows(io.remora.core.codec.CodecException.class,
                () -> ClusterMessages.decodeLoad(over));
        assertEquals(io.remora.core.codec.CodecException.Kind.BAD_VALUE, e.kind());
        assertThrows(IllegalArgumentException.class, () -> new LoadReport(0, 1, 0, 0, 0, 10_001));
        assertThrows(IllegalArgumentException.class, () -> new LoadReport(LoadReport.FLAG_BUSY, 1, 0, 0, 0, -1));
    }

    @Test
    void shouldRoundTripAFullBatchOfResults() {
        RandomValues rv = new RandomValues(seed);
        PreExecResult small = PreExecResult.verifyOnly(rv.digest(), io.remora.core.LookupTable.EMPTY, 7);
        Results m = new Results(java.util.Collections.nCopies(ClusterMessages.MAX_BATCH, small));
        assertEquals(m, ClusterMessages.decode(ClusterMessages.RESULT, ClusterMessages.encode(m)));
    }

    /** Every strict prefix of a valid payload is rejected, with a CodecException and nothing else. */
    @TestFactory
    Stream<DynamicTest> shouldRejectEveryTruncation() {
        return RandomMessages.ALL.stream().map(g -> DynamicTest.dynamicTest(g.name(), () -> {
            RandomValues rv = new RandomValues(seed ^ ~g.name().hashCode());
            for (int i = 0; i < 20; i++) {
                ClusterMessage m = g.generate().apply(rv);
                byte[] bytes = ClusterMessages.encode(m);
                int step = Math.max(1, bytes.length / 500);
                for (int len = 0; len < bytes.length; len += step) {
                    int n = len;
                    CodecException e = assertThrows(CodecException.class,
                            () -> ClusterMessages.decode(m.type(), java.nio.ByteBuffer.wrap(bytes), 0, n),
                            g.name() + " prefix " + n + "/" + bytes.length + " (seed " + seed + ")");
                    assertTrue(e.kind() == Kind.TRUNCATED || e.kind() == Kind.BAD_VALUE
                            || e.kind() == Kind.BAD_VERSION || e.kind() == Kind.LIMIT_EXCEEDED, e.getMessage());
                }
            }
        }));
    }

    @TestFactory
    Stream<DynamicTest> shouldRejectTrailingBytesAndBadVersions() {
        return RandomMessages.ALL.stream().map(g -> DynamicTest.dynamicTest(g.name(), () -> {
            RandomValues rv = new RandomValues(seed);
            ClusterMessage m = g.generate().apply(rv);
            byte[] bytes = ClusterMessages.encode(m);
            byte[] longer = Arrays.copyOf(bytes, bytes.length + 1);
            assertKind(Kind.TRAILING_BYTES, () -> ClusterMessages.decode(m.type(), longer));
            byte[] v2 = bytes.clone();
            v2[0] = 2;
            assertKind(Kind.BAD_VERSION, () -> ClusterMessages.decode(m.type(), v2));
        }));
    }

    @Test
    void shouldRejectUnknownTypesAndOversizedPayloads() {
        byte[] hot = ClusterMessages.encode(new HotSet(1, List.of()));
        assertKind(Kind.BAD_VALUE, () -> ClusterMessages.decode(15, hot));
        assertKind(Kind.BAD_VALUE, () -> ClusterMessages.decode(24, hot));
        assertKind(Kind.BAD_VALUE, () -> ClusterMessages.decode(Execute.class, ClusterMessages.HOT_SET,
                java.nio.ByteBuffer.wrap(hot), 0, hot.length));
        java.nio.ByteBuffer huge = java.nio.ByteBuffer.wrap(new byte[ClusterMessages.MAX_PAYLOAD_BYTES + 1]);
        assertKind(Kind.LIMIT_EXCEEDED, () -> ClusterMessages.decode(ClusterMessages.HOT_SET, huge, 0, huge.capacity()));
        assertKind(Kind.LIMIT_EXCEEDED, () -> ClusterMessages.decodeLoad(huge, 0, huge.capacity()));
    }

    @Test
    void shouldRejectBadCountsBeforeAllocating() {
        // EXECUTE and RESULT: 0 and MAX_BATCH + 1 elements.
        assertKind(Kind.BAD_VALUE, () -> ClusterMessages.decode(ClusterMessages.EXECUTE, new byte[] {1, 0, 0}));
        assertKind(Kind.LIMIT_EXCEEDED, () -> ClusterMessages.decode(ClusterMessages.RESULT, new byte[] {1, 0x04, 0x01}));
        // STATE_UPDATE claiming 65,536 written objects in a 30-byte payload: truncated, not allocated.
        byte[] update = new WireWriter().version().u8(0).i64(0).i64(1).i32(ClusterMessages.MAX_UPDATE_OBJECTS)
                .i32(0).toByteArray();
        assertKind(Kind.TRUNCATED, () -> ClusterMessages.decode(ClusterMessages.STATE_UPDATE, update));
        byte[] tooMany = new WireWriter().version().u8(0).i64(0).i64(1).i32(ClusterMessages.MAX_UPDATE_OBJECTS + 1)
                .toByteArray();
        assertKind(Kind.LIMIT_EXCEEDED, () -> ClusterMessages.decode(ClusterMessages.STATE_UPDATE, tooMany));
        byte[] negative = new WireWriter().version().i64(1).i32(-1).toByteArray();
        assertKind(Kind.LIMIT_EXCEEDED, () -> ClusterMessages.decode(ClusterMessages.HOT_SET, negative));
        byte[] hot = new WireWriter().version().i64(1).i32(ClusterMessages.MAX_HOT_SET + 1).toByteArray();
        assertKind(Kind.LIMIT_EXCEEDED, () -> ClusterMessages.decode(ClusterMessages.HOT_SET, hot));
        byte[] noIds = new WireWriter().version().i64(1).u16(0).toByteArray();
        assertKind(Kind.BAD_VALUE, () -> ClusterMessages.decode(ClusterMessages.OBJECT_REQUEST, noIds));
    }

    @Test
    void shouldRejectInvalidFieldValues() {
        // STATE_UPDATE: unknown flag, empty range, objects-only with a range, from < -1.
        assertKind(Kind.BAD_VALUE, () -> ClusterMessages.decode(ClusterMessages.STATE_UPDATE, update(4, 0, 1)));
        assertKind(Kind.BAD_VALUE, () -> ClusterMessages.decode(ClusterMessages.STATE_UPDATE, update(0, 5, 5)));
        assertKind(Kind.BAD_VALUE, () -> ClusterMessages.decode(ClusterMessages.STATE_UPDATE, update(0, 5, 4)));
        assertKind(Kind.BAD_VALUE, () -> ClusterMessages.decode(ClusterMessages.STATE_UPDATE, update(2, 5, 6)));
        assertKind(Kind.BAD_VALUE, () -> ClusterMessages.decode(ClusterMessages.STATE_UPDATE, update(0, -2, 6)));
        // SNAPSHOT_REQUEST: negative id, watermark < -1.
        assertKind(Kind.BAD_VALUE, () -> ClusterMessages.decode(ClusterMessages.SNAPSHOT_REQUEST,
                new WireWriter().version().i64(-1).i64(0).toByteArray()));
        assertKind(Kind.BAD_VALUE, () -> ClusterMessages.decode(ClusterMessages.SNAPSHOT_REQUEST,
                new WireWriter().version().i64(0).i64(-2).toByteArray()));
        // SNAPSHOT_CHUNK: negative sequence, last byte 2.
        assertKind(Kind.BAD_VALUE, () -> ClusterMessages.decode(ClusterMessages.SNAPSHOT_CHUNK,
                new WireWriter().version().i64(0).i64(0).i32(-1).u8(1).i32(0).toByteArray()));
        assertKind(Kind.BAD_VALUE, () -> ClusterMessages.decode(ClusterMessages.SNAPSHOT_CHUNK,
                new WireWriter().version().i64(0).i64(0).i32(0).u8(2).i32(0).toByteArray()));
        // HOT_SET: negative epoch. LOAD: unknown flag, 0 workers, negative depth.
        assertKind(Kind.BAD_VALUE, () -> ClusterMessages.decode(ClusterMessages.HOT_SET,
                new WireWriter().version().i64(-5).i32(0).toByteArray()));
        assertKind(Kind.BAD_VALUE, () -> ClusterMessages.decodeLoad(
                new WireWriter().version().u8(8).u16(1).i32(0).i32(0).i64(0).toByteArray()));
        assertKind(Kind.BAD_VALUE, () -> ClusterMessages.decodeLoad(
                new WireWriter().version().u8(0).u16(0).i32(0).i32(0).i64(0).toByteArray()));
        assertKind(Kind.BAD_VALUE, () -> ClusterMessages.decodeLoad(
                new WireWriter().version().u8(0).u16(1).i32(-1).i32(0).i64(0).toByteArray()));
        assertKind(Kind.TRUNCATED, () -> ClusterMessages.decodeLoad(new byte[] {1, 0, 0, 1}));
    }

    @Test
    void shouldRefuseToEncodeOutOfLimitMessages() {
        assertThrows(IllegalArgumentException.class, () -> new Execute(List.of()));
        assertThrows(IllegalArgumentException.class, () -> StateUpdate.range(3, 3, List.of(), List.of()));
        assertThrows(IllegalArgumentException.class,
                () -> new HotSet(0, java.util.Collections.nCopies(ClusterMessages.MAX_HOT_SET + 1, ObjectId.ZERO)));
        assertThrows(IllegalArgumentException.class, () -> new ObjectRequest(0, List.of()));
        assertThrows(IllegalArgumentException.class, () -> new LoadReport(0, 0, 0, 0, 0));
    }

    /** Random bytes under every type: decoding fails with CodecException or yields a re-encodable message. */
    @Test
    void shouldOnlyThrowCodecExceptionsOnGarbage() {
        RandomValues rv = new RandomValues(seed);
        for (int i = 0; i < 20_000; i++) {
            int type = ClusterMessages.FIRST_TYPE + rv.nextInt(ClusterMessages.LAST_TYPE - ClusterMessages.FIRST_TYPE + 1);
            byte[] bytes = rv.bytes(rv.nextInt(64));
            if (bytes.length > 0 && rv.chance(0.9)) {
                bytes[0] = 1;
            }
            try {
                ClusterMessage m = ClusterMessages.decode(type, bytes);
                assertArrayEquals(bytes, ClusterMessages.encode(m), "#" + i + " (seed " + seed + ")");
            } catch (CodecException expected) {
                // fine
            } catch (RuntimeException e) {
                fail("#" + i + " type " + type + " (seed " + seed + "): " + e, e);
            }
        }
    }

    private static byte[] update(int flags, long from, long to) {
        return new WireWriter().version().u8(flags).i64(from).i64(to).i32(0).i32(0).toByteArray();
    }

    private static void assertKind(Kind kind, org.junit.jupiter.api.function.Executable decode) {
        CodecException e = assertThrows(CodecException.class, decode);
        assertEquals(kind, e.kind(), e.getMessage());
    }
}
