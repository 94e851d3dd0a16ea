package io.remora.core.codec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.remora.core.Address;
import io.remora.core.Authenticator;
import io.remora.core.Commit;
import io.remora.core.Digest;
import io.remora.core.Effects;
import io.remora.core.ExecutionStatus;
import io.remora.core.InputObject;
import io.remora.core.LookupTable;
import io.remora.core.ObjectId;
import io.remora.core.Owner;
import io.remora.core.PreExecResult;
import io.remora.core.PrecompileResult;
import io.remora.core.StoredObject;
import io.remora.core.Transaction;
import io.remora.core.codec.CodecException.Kind;
import io.remora.core.codec.WireTypes.WireType;
import java.lang.management.ManagementFactory;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/**
 * Malformed input of every kind: every decoder throws {@link CodecException} with the right kind
 * and nothing else. Randomized parts print their seed; replay with {@code -Dremora.seed=<seed>}.
 */
class MalformedInputTest {
    private static long seed;

    @BeforeAll
    static void seed() {
        seed = RandomValues.seed("MalformedInputTest");
    }

    private static List<WireType<?>> allTypes() {
        List<WireType<?>> all = new ArrayList<>(WireTypes.MESSAGES);
        all.addAll(WireTypes.VALUES);
        return all;
    }

    // ---- truncation and trailing bytes ----------------------------------------------------------

    @Test
    void shouldRejectEveryPrefixOfAValidEncodingAsTruncated() {
        RandomValues rv = new RandomValues(seed);
        for (WireType<?> type : allTypes()) {
            int full = 0;
            int sampled = 0;
            for (int attempt = 0; attempt < 2_000 && (full < 40 || sampled < 5); attempt++) {
                byte[] bytes = type.encodeAny(type.generator().apply(rv));
                if (bytes.length <= 4096 && full < 40) {
                    full++;
                    for (int n = 0; n < bytes.length; n++) {
                        assertTruncated(type, bytes, n);
                    }
                } else if (bytes.length > 4096 && sampled < 5) {
                    sampled++;
                    for (int k = 0; k < 300; k++) {
                        assertTruncated(type, bytes, rv.nextInt(bytes.length));
                    }
                }
            }
            assertTrue(full == 40, type + ": only " + full + " short samples");
        }
    }

    private static void assertTruncated(WireType<?> type, byte[] bytes, int n) {
        byte[] prefix = java.util.Arrays.copyOf(bytes, n);
        CodecException e = assertThrows(CodecException.class, () -> type.decoder().apply(prefix),
                () -> type + " prefix " + n + "/" + bytes.length + " (seed " + seed + ")");
        assertEquals(Kind.TRUNCATED, e.kind(), () -> type + " prefix " + n + ": " + e.getMessage());
    }

    @Test
    void shouldRejectTrailingBytes() {
        RandomValues rv = new RandomValues(seed);
        for (WireType<?> type : allTypes()) {
            for (int i = 0; i < 50; i++) {
                byte[] bytes = type.encodeAny(type.generator().apply(rv));
                byte[] longer = java.util.Arrays.copyOf(bytes, bytes.length + 1 + rv.nextInt(4));
                rejects(Kind.TRAILING_BYTES, () -> type.decoder().apply(longer));
            }
        }
    }

    // ---- header ---------------------------------------------------------------------------------

    @Test
    void shouldRejectAnotherVersionAndUnknownOrWrongTypes() {
        RandomValues rv = new RandomValues(seed);
        List<WireType<?>> messages = WireTypes.MESSAGES;
        for (int t = 0; t < messages.size(); t++) {
            WireType<?> type = messages.get(t);
            byte[] bytes = type.encodeAny(type.generator().apply(rv));
            for (int version : new int[] {0, 2, 255}) {
                byte[] b = bytes.clone();
                b[MessageCodec.VERSION_OFFSET] = (byte) version;
                CodecException e = rejects(Kind.BAD_VERSION, () -> type.decoder().apply(b));
                assertEquals("message.version", e.field());
                assertEquals(0, e.offset());
            }
            for (int code : new int[] {0, 6, 255}) {
                byte[] b = bytes.clone();
                b[MessageCodec.TYPE_OFFSET] = (byte) code;
                CodecException e = rejects(Kind.BAD_VALUE, () -> type.decoder().apply(b));
                assertEquals("message.type", e.field());
                assertEquals(1, e.offset());
            }
            WireType<?> other = messages.get((t + 1) % messages.size());
            // The size limit is checked before the type: a message larger than the other type's limit
            // is refused as LIMIT_EXCEEDED, a smaller one as a wrong type (BAD_VALUE). Both refuse it.
            CodecException wrongType = assertThrows(CodecException.class, () -> other.decoder().apply(bytes),
                    () -> "seed " + seed);
            assertTrue(wrongType.kind() == Kind.BAD_VALUE || wrongType.kind() == Kind.LIMIT_EXCEEDED,
                    wrongType.getMessage());
        }
        rejects(Kind.BAD_VALUE, () -> MessageCodec.peekType(java.nio.ByteBuffer.wrap(new byte[] {1, 0}), 0, 2));
        rejects(Kind.BAD_VERSION, () -> MessageCodec.peekType(java.nio.ByteBuffer.wrap(new byte[] {7, 1}), 0, 2));
        rejects(Kind.TRUNCATED, () -> MessageCodec.decodeEffects(java.nio.ByteBuffer.wrap(new byte[4]), 2, 3));
        rejects(Kind.TRUNCATED, () -> MessageCodec.decodeEffects(java.nio.ByteBuffer.wrap(new byte[4]), -1, 2));
        rejects(Kind.TRUNCATED, () -> MessageCodec.decodeEffects(java.nio.ByteBuffer.wrap(new byte[4]), 0, -1));
    }

    // ---- limits ---------------------------------------------------------------------------------

    /** A transaction with no inputs and empty strings: counts at fixed offsets. */
    private static byte[] minimalTransaction() {
        return MessageCodec.encode(Transaction.of(Address.ZERO, new byte[32], 0, 0, List.of(), "", "", new byte[0], new byte[64]));
    }

    private static byte[] minimalEffects() {
        return MessageCodec.encode(new Effects(Digest.ZERO, ExecutionStatus.SUCCESS, 0, 1, List.of(), List.of(), List.of(), List.of()));
    }

    private static byte[] minimalVerifyOnly() {
        return MessageCodec.encode(PreExecResult.verifyOnly(Digest.ZERO, LookupTable.EMPTY, 0));
    }

    private static byte[] minimalObject() {
        return MessageCodec.encode(new StoredObject(ObjectId.ZERO, 1, Owner.IMMUTABLE, "", new byte[0]));
    }

    private static byte[] minimalCommit(int transactions) {
        Transaction tx = MessageCodec.decodeTransaction(minimalTransaction());
        return MessageCodec.encode(new Commit(0, java.util.Collections.nCopies(transactions, tx)));
    }

    static final int TX_INPUTS = 82;
    static final int TX_ARGS = 86;
    static final int OBJECT_OWNER = 42;
    static final int OBJECT_CONTENTS = 44;
    static final int EFFECTS_STATUS = 34;
    static final int EFFECTS_COUNTS = 51;
    static final int RESULT_READS = 43;
    static final int RESULT_AUTH = 51;
    static final int COMMIT_COUNT = 10;
    static final int COMMIT_FIRST_LENGTH = 14;

    @Test
    void shouldRejectOversizedCountsAndLengthsWithoutAllocatingForThem() {
        assertEquals(2 + Commit.MIN_TRANSACTION_BYTES, minimalTransaction().length);
        for (int bad : new int[] {Limits.MAX_INPUTS + 1, 0xFFFF}) {
            overLimit(minimalTransaction(), TX_INPUTS, bad, 2, MessageCodec::decodeTransaction, "tx.inputs");
        }
        int[] huge = {Integer.MAX_VALUE, -1, Integer.MIN_VALUE};
        overLimit(minimalTransaction(), TX_ARGS, Limits.MAX_ARGUMENT_BYTES + 1, 4, MessageCodec::decodeTransaction, "tx.args.length");
        overLimit(minimalObject(), OBJECT_CONTENTS, Limits.MAX_OBJECT_BYTES + 1, 4, MessageCodec::decodeObject, "object.contents.length");
        String[] effectsFields = {"effects.modifiedAt", "effects.written", "effects.deleted", "effects.events"};
        int[] effectsLimits = {Limits.MAX_OBJECTS_PER_EFFECTS, Limits.MAX_OBJECTS_PER_EFFECTS, Limits.MAX_OBJECTS_PER_EFFECTS, Limits.MAX_EVENTS};
        for (int i = 0; i < 4; i++) {
            overLimit(minimalEffects(), EFFECTS_COUNTS + 4 * i, effectsLimits[i] + 1, 4, MessageCodec::decodeEffects, effectsFields[i]);
        }
        overLimit(minimalVerifyOnly(), RESULT_READS, Limits.MAX_READS + 1, 4, MessageCodec::decodePreExecResult, "lookup.reads");
        overLimit(minimalVerifyOnly(), RESULT_READS + 4, Limits.MAX_PRECOMPILES + 1, 4, MessageCodec::decodePreExecResult, "lookup.precompiles");
        overLimit(minimalCommit(0), COMMIT_COUNT, Limits.MAX_COMMIT_TRANSACTIONS + 1, 4, MessageCodec::decodeCommit, "commit.transactions");
        overLimit(minimalCommit(1), COMMIT_FIRST_LENGTH, Limits.MAX_TRANSACTION_BYTES + 1, 4, MessageCodec::decodeCommit, "commit.transaction.length");
        for (int h : huge) {
            overLimit(minimalTransaction(), TX_ARGS, h, 4, MessageCodec::decodeTransaction, "tx.args.length");
            overLimit(minimalObject(), OBJECT_CONTENTS, h, 4, MessageCodec::decodeObject, "object.contents.length");
            overLimit(minimalEffects(), EFFECTS_COUNTS, h, 4, MessageCodec::decodeEffects, "effects.modifiedAt");
            overLimit(minimalCommit(0), COMMIT_COUNT, h, 4, MessageCodec::decodeCommit, "commit.transactions");
            overLimit(minimalCommit(1), COMMIT_FIRST_LENGTH, h, 4, MessageCodec::decodeCommit, "commit.transaction.length");
        }
        // Within the limits but far beyond the input: refused as truncated, still without allocating.
        byte[] commit = minimalCommit(0);
        put(commit, COMMIT_COUNT, Limits.MAX_COMMIT_TRANSACTIONS, 4);
        assertAllocatesLittle(Kind.TRUNCATED, () -> MessageCodec.decodeCommit(commit));
        byte[] object = minimalObject();
        put(object, OBJECT_CONTENTS, Limits.MAX_OBJECT_BYTES, 4);
        assertAllocatesLittle(Kind.TRUNCATED, () -> MessageCodec.decodeObject(object));
    }

    @Test
    void shouldRejectAFrameOverItsLimitBeforeReadingIt() {
        java.nio.ByteBuffer small = java.nio.ByteBuffer.wrap(minimalEffects());
        for (WireType<?> type : WireTypes.MESSAGES) {
            int limit = MessageCodec.MessageType.valueOf(type.name().equals("StoredObject") ? "OBJECT"
                    : type.name().equals("PreExecResult") ? "PRE_EXEC_RESULT" : type.name().toUpperCase()).maxLength();
            Executable decode = switch (type.name()) {
                case "Transaction" -> () -> MessageCodec.decodeTransaction(small, 0, limit + 1);
                case "StoredObject" -> () -> MessageCodec.decodeObject(small, 0, limit + 1);
                case "Effects" -> () -> MessageCodec.decodeEffects(small, 0, limit + 1);
                case "PreExecResult" -> () -> MessageCodec.decodePreExecResult(small, 0, limit + 1);
                default -> () -> MessageCodec.decodeCommit(small, 0, limit + 1);
            };
            CodecException e = rejects(Kind.LIMIT_EXCEEDED, decode);
            assertEquals("message.length", e.field());
        }
        assertEquals(2 + Limits.MAX_TRANSACTION_BYTES, MessageCodec.MessageType.TRANSACTION.maxLength());
        assertEquals(Limits.MAX_MESSAGE_BYTES, MessageCodec.MessageType.COMMIT.maxLength());
    }

    @Test
    void shouldRefuseToEncodeAMessageOverItsLimit() {
        List<Effects.Written> written = new ArrayList<>();
        for (int i = 0; i < 130; i++) {
            written.add(new Effects.Written(new StoredObject(ObjectId.of(i, 0, 0, 0), 1, Owner.IMMUTABLE, "",
                    new byte[Limits.MAX_OBJECT_BYTES]), true));
        }
        Effects big = new Effects(Digest.ZERO, ExecutionStatus.SUCCESS, 0, 1, List.of(), written, List.of(), List.of());
        assertThrows(IllegalArgumentException.class, () -> MessageCodec.encode(big));
        Transaction tx = MessageCodec.decodeTransaction(minimalTransaction());
        Commit commit = new Commit(0, java.util.Collections.nCopies(Limits.MAX_MESSAGE_BYTES / 150, tx));
        assertThrows(IllegalArgumentException.class, () -> MessageCodec.encode(commit));
        assertThrows(IllegalArgumentException.class, () -> MessageCodec.encode(commit, new WireWriter()));
    }

    private static void overLimit(byte[] valid, int offset, int value, int width, Function<byte[], ?> decoder, String field) {
        byte[] b = valid.clone();
        put(b, offset, value, width);
        CodecException e = assertAllocatesLittle(Kind.LIMIT_EXCEEDED, () -> decoder.apply(b));
        assertEquals(field, e.field(), e.getMessage());
        assertEquals(offset, e.offset(), e.getMessage()); // offsets count from the frame start
    }

    private static void put(byte[] b, int offset, int value, int width) {
        java.nio.ByteBuffer buf = java.nio.ByteBuffer.wrap(b);
        if (width == 2) {
            buf.putShort(offset, (short) value);
        } else {
            buf.putInt(offset, value);
        }
    }

    /** Rejects with {@code kind}, and the attempt allocates under 32 KiB (measured on the second run). */
    private static CodecException assertAllocatesLittle(Kind kind, Executable decode) {
        rejects(kind, decode);
        com.sun.management.ThreadMXBean mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long id = Thread.currentThread().threadId();
        long before = mx.getThreadAllocatedBytes(id);
        CodecException e = rejects(kind, decode);
        long allocated = mx.getThreadAllocatedBytes(id) - before;
        assertTrue(allocated < 32 * 1024, "allocated " + allocated + " bytes rejecting " + e.getMessage());
        return e;
    }

    // ---- bad values -----------------------------------------------------------------------------

    @Test
    void shouldRejectUndefinedTagsAndOutOfRangeValues() {
        byte[] object = minimalObject();
        object[OBJECT_OWNER] = 4;
        assertField(Kind.BAD_VALUE, "owner.tag", () -> MessageCodec.decodeObject(object));
        byte[] version0 = minimalObject();
        put(version0, 34, 0, 4);
        put(version0, 38, 0, 4);
        assertField(Kind.BAD_VALUE, "object.version", () -> MessageCodec.decodeObject(version0));
        byte[] sharedNegative = MessageCodec.encode(new StoredObject(ObjectId.ZERO, 1, Owner.shared(0), "", new byte[0]));
        sharedNegative[OBJECT_OWNER + 1] = (byte) 0x80;
        assertField(Kind.BAD_VALUE, "owner.initialVersion", () -> MessageCodec.decodeObject(sharedNegative));

        Transaction owned = Transaction.of(Address.ZERO, new byte[32], 0, 0,
                List.of(InputObject.shared(ObjectId.ZERO, true)), "", "", new byte[0], new byte[64]);
        byte[] tx = MessageCodec.encode(owned);
        tx[TX_INPUTS + 2] = 2;
        assertField(Kind.BAD_VALUE, "input.tag", () -> MessageCodec.decodeTransaction(tx));
        byte[] tx2 = MessageCodec.encode(owned);
        tx2[TX_INPUTS + 2 + 1 + 32] = 2;
        assertField(Kind.BAD_VALUE, "input.mutable", () -> MessageCodec.decodeTransaction(tx2));
        byte[] negativeGas = minimalTransaction();
        negativeGas[74] = (byte) 0xFF;
        assertField(Kind.BAD_VALUE, "tx.gasBudget", () -> MessageCodec.decodeTransaction(negativeGas));

        byte[] effects = minimalEffects();
        effects[EFFECTS_STATUS] = 2;
        assertField(Kind.BAD_VALUE, "status.tag", () -> MessageCodec.decodeEffects(effects));
        byte[] lamport0 = minimalEffects();
        lamport0[50] = 0;
        assertField(Kind.BAD_VALUE, "effects.lamportVersion", () -> MessageCodec.decodeEffects(lamport0));
        StoredObject atTwo = new StoredObject(ObjectId.ZERO, 2, Owner.IMMUTABLE, "", new byte[0]);
        byte[] wrongVersion = MessageCodec.encode(new Effects(Digest.ZERO, ExecutionStatus.SUCCESS, 0, 2, List.of(),
                List.of(new Effects.Written(atTwo, true)), List.of(), List.of()));
        wrongVersion[50] = 3; // lamport 3, object still at 2
        assertField(Kind.BAD_VALUE, "effects.written.version", () -> MessageCodec.decodeEffects(wrongVersion));
        byte[] created = wrongVersion.clone();
        created[50] = 2;
        created[59] = 7; // the created flag
        assertField(Kind.BAD_VALUE, "effects.written.created", () -> MessageCodec.decodeEffects(created));

        byte[] result = minimalVerifyOnly();
        result[2] = 2;
        assertField(Kind.BAD_VALUE, "result.kind", () -> MessageCodec.decodePreExecResult(result));
        byte[] auth = minimalVerifyOnly();
        auth[RESULT_AUTH] = 3;
        assertField(Kind.BAD_VALUE, "authenticator.status", () -> MessageCodec.decodePreExecResult(auth));
        byte[] mismatch = MessageCodec.encode(PreExecResult.full(
                Effects.failure(Digest.ZERO, ExecutionStatus.failure(5, "x"), 0, 1), LookupTable.EMPTY, 0));
        mismatch[3] = 1; // the result's transaction digest, not the effects'
        assertField(Kind.BAD_VALUE, "result.effects.transaction", () -> MessageCodec.decodePreExecResult(mismatch));

        byte[] commit = minimalCommit(0);
        commit[2] = (byte) 0x80;
        assertField(Kind.BAD_VALUE, "commit.index", () -> MessageCodec.decodeCommit(commit));
        byte[] two = minimalCommit(2);
        put(two, COMMIT_FIRST_LENGTH, Commit.MIN_TRANSACTION_BYTES + 4, 4); // swallows the next length prefix
        assertField(Kind.BAD_VALUE, "commit.transaction.length", () -> MessageCodec.decodeCommit(two));
        byte[] shorter = minimalCommit(2);
        put(shorter, COMMIT_FIRST_LENGTH, Commit.MIN_TRANSACTION_BYTES - 1, 4);
        assertField(Kind.BAD_VALUE, "commit.transaction.length", () -> MessageCodec.decodeCommit(shorter));
    }

    @Test
    void shouldRejectMalformedUtf8InsteadOfReplacingIt() {
        byte[][] malformed = {
            {(byte) 0xFF}, {(byte) 0xC0, (byte) 0x80}, {(byte) 0xED, (byte) 0xA0, (byte) 0x80},
            {(byte) 0xE2, (byte) 0x82}, {(byte) 0x80}, {(byte) 0xF4, (byte) 0x90, (byte) 0x80, (byte) 0x80},
            {'o', 'k', (byte) 0xC3},
        };
        for (byte[] bad : malformed) {
            StoredObject o = new StoredObject(ObjectId.ZERO, 1, Owner.IMMUTABLE, "x".repeat(bad.length), new byte[0]);
            byte[] b = MessageCodec.encode(o);
            System.arraycopy(bad, 0, b, OBJECT_OWNER + 2, bad.length);
            assertField(Kind.BAD_VALUE, "object.typeTag", () -> MessageCodec.decodeObject(b));
        }
        // 255 bytes that a lossy decoder would turn into 255 U+FFFD (765 bytes): the transaction
        // constructor used to throw IllegalArgumentException re-encoding them.
        Transaction t = Transaction.of(Address.ZERO, new byte[32], 0, 0, List.of(), "p".repeat(255), "", new byte[0], new byte[64]);
        byte[] b = MessageCodec.encode(t);
        java.util.Arrays.fill(b, TX_INPUTS + 3, TX_INPUTS + 3 + 255, (byte) 0xFF);
        assertField(Kind.BAD_VALUE, "tx.program", () -> MessageCodec.decodeTransaction(b));
        // Well-formed multi-byte strings decode as before.
        String s = "é€😀";
        StoredObject o = new StoredObject(ObjectId.ZERO, 1, Owner.IMMUTABLE, s, new byte[0]);
        assertEquals(s, MessageCodec.decodeObject(MessageCodec.encode(o)).typeTag());
    }

    @Test
    void shouldRejectBadTagsAndLengthsInBareValueDecoders() {
        rejects(Kind.BAD_VALUE, () -> Authenticator.decode(new WireReader(new byte[] {9, 0})));
        rejects(Kind.BAD_VALUE, () -> ExecutionStatus.decode(new WireReader(new byte[] {3})));
        rejects(Kind.BAD_VALUE, () -> InputObject.decode(new WireReader(new byte[] {5})));
        rejects(Kind.BAD_VALUE, () -> Owner.decode(new WireReader(new byte[] {(byte) 200})));
        rejects(Kind.LIMIT_EXCEEDED, () -> PrecompileResult.decode(readerWithLength(2 + 32, Limits.MAX_PRECOMPILE_OUTPUT + 1)));
        rejects(Kind.LIMIT_EXCEEDED, () -> io.remora.core.Event.decode(readerWithLength(1, Limits.MAX_EVENT_BYTES + 1)));
    }

    private static WireReader readerWithLength(int offset, int length) {
        byte[] b = new byte[offset + 4];
        put(b, offset, length, 4);
        return new WireReader(b);
    }

    // ---- random garbage and mutations -------------------------------------------------------------

    @Test
    void shouldDecodeOrRejectRandomGarbage() {
        RandomValues rv = new RandomValues(seed);
        for (WireType<?> type : allTypes()) {
            for (int i = 0; i < 10_000; i++) {
                byte[] b = rv.bytes(rv.nextInt(i < 5_000 ? 16 : 600));
                if (b.length >= 2 && rv.chance(0.9)) {
                    b[0] = WireWriter.PROTOCOL_VERSION;
                    b[1] = (byte) (1 + WireTypes.MESSAGES.indexOf(type));
                }
                WireTypes.decodeOrReject(type, b);
            }
        }
    }

    @Test
    void shouldDecodeOrRejectMutatedEncodings() {
        RandomValues rv = new RandomValues(seed);
        for (WireType<?> type : allTypes()) {
            int decoded = 0;
            for (int i = 0; i < 2_000; i++) {
                byte[] valid = type.encodeAny(type.generator().apply(rv));
                for (int k = 0; k < 5; k++) {
                    if (WireTypes.decodeOrReject(type, mutate(rv, valid)) != null) {
                        decoded++;
                    }
                }
            }
            System.out.println(type + ": " + decoded + " of 10000 mutated encodings still decoded (canonically)");
        }
    }

    /** Flips 1-4 bits, overwrites a byte with an edge value, or inserts/deletes a byte. */
    private static byte[] mutate(RandomValues rv, byte[] valid) {
        if (valid.length == 0) {
            return new byte[] {(byte) rv.nextInt(256)};
        }
        byte[] b = valid.clone();
        switch (rv.nextInt(4)) {
            case 0, 1 -> {
                int flips = 1 + rv.nextInt(4);
                for (int f = 0; f < flips; f++) {
                    int bit = rv.nextInt(b.length * 8);
                    b[bit >>> 3] ^= (byte) (1 << (bit & 7));
                }
            }
            case 2 -> b[rv.nextInt(b.length)] = (byte) new int[] {0, 1, 0x7F, 0x80, 0xFF}[rv.nextInt(5)];
            default -> {
                int at = rv.nextInt(b.length);
                if (rv.chance(0.5)) {
                    byte[] out = new byte[b.length - 1];
                    System.arraycopy(b, 0, out, 0, at);
                    System.arraycopy(b, at + 1, out, at, b.length - at - 1);
                    return out;
                }
                byte[] out = new byte[b.length + 1];
                System.arraycopy(b, 0, out, 0, at);
                out[at] = (byte) rv.nextInt(256);
                System.arraycopy(b, at, out, at + 1, b.length - at);
                return out;
            }
        }
        return b;
    }

    // ---- helpers --------------------------------------------------------------------------------

    private static CodecException rejects(Kind kind, Executable decode) {
        CodecException e = assertThrows(CodecException.class, decode, () -> "seed " + seed);
        assertEquals(kind, e.kind(), e.getMessage());
        return e;
    }

    private static void assertField(Kind kind, String field, Executable decode) {
        CodecException e = rejects(kind, decode);
        assertEquals(field, e.field(), e.getMessage());
    }
}
