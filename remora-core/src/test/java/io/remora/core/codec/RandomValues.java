package io.remora.core.codec;

import io.remora.core.Address;
import io.remora.core.Authenticator;
import io.remora.core.Commit;
import io.remora.core.Digest;
import io.remora.core.Effects;
import io.remora.core.Event;
import io.remora.core.ExecutionStatus;
import io.remora.core.InputObject;
import io.remora.core.LookupTable;
import io.remora.core.ObjectId;
import io.remora.core.ObjectRef;
import io.remora.core.Owner;
import io.remora.core.PreExecResult;
import io.remora.core.PrecompileResult;
import io.remora.core.StoredObject;
import io.remora.core.Transaction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Supplier;

/**
 * Seeded generators of random, valid instances of every wire type, covering every variant: all
 * owner kinds, both input kinds, success and failure, created and mutated objects, absent reads,
 * verify-only and full results, empty and limit-sized lists, and unicode strings up to 255 UTF-8
 * bytes (1- to 4-byte code points, exactly-full strings).
 *
 * <p>Sizes are skewed small (so 10,000 instances encode in milliseconds) with a few percent of
 * empty and maximum-length lists. Everything generated stays within {@link Limits} and within the
 * message limits of {@link MessageCodec}. The same seed always yields the same sequence.
 *
 * <p>Replay a failing randomized test with {@code -Dremora.seed=<seed>}; see {@link #seed()}.
 *
 * <p>Not thread-safe.
 */
public final class RandomValues {
    /** System property that fixes the seed of every randomized test. */
    public static final String SEED_PROPERTY = "remora.seed";

    private final SplittableRandom random;

    public RandomValues(long seed) {
        this.random = new SplittableRandom(seed);
    }

    /**
     * The seed for a randomized test: {@code -Dremora.seed} if set, else a fresh one. Printed, so
     * that any failure can be replayed.
     */
    public static long seed(String testName) {
        String fixed = System.getProperty(SEED_PROPERTY);
        long seed = fixed != null && !fixed.isBlank() ? Long.parseLong(fixed.trim()) : new SplittableRandom().nextLong();
        System.out.println(testName + ": seed " + seed + " (replay with -D" + SEED_PROPERTY + "=" + seed + ")");
        return seed;
    }

    public SplittableRandom random() {
        return random;
    }

    // ---- primitives -----------------------------------------------------------------------------

    public int nextInt(int bound) {
        return random.nextInt(bound);
    }

    public boolean chance(double p) {
        return random.nextDouble() < p;
    }

    /**
     * A size in [0, max]: 3% empty, 2% exactly max, 5% uniform, otherwise small (<= smallMax).
     */
    public int size(int max, int smallMax) {
        double p = random.nextDouble();
        if (p < 0.03) {
            return 0;
        }
        if (p < 0.05) {
            return max;
        }
        if (p < 0.10) {
            return random.nextInt(max + 1);
        }
        return random.nextInt(Math.min(max, smallMax) + 1);
    }

    public byte[] bytes(int n) {
        byte[] b = new byte[n];
        for (int i = 0; i < n; i += 8) {
            long v = random.nextLong();
            for (int j = i; j < Math.min(n, i + 8); j++) {
                b[j] = (byte) v;
                v >>>= 8;
            }
        }
        return b;
    }

    /** A long biased toward edge values (0, 1, -1, MIN, MAX). */
    public long anyLong() {
        return switch (random.nextInt(8)) {
            case 0 -> 0;
            case 1 -> Long.MAX_VALUE;
            case 2 -> Long.MIN_VALUE;
            case 3 -> -1;
            case 4 -> random.nextInt(1000);
            default -> random.nextLong();
        };
    }

    /** A long in [min, Long.MAX_VALUE], biased toward the bounds. */
    public long longAtLeast(long min) {
        return switch (random.nextInt(6)) {
            case 0 -> min;
            case 1 -> Long.MAX_VALUE;
            case 2 -> min + random.nextInt(1000);
            default -> random.nextLong(min, Long.MAX_VALUE);
        };
    }

    /**
     * A valid string of at most {@code maxBytes} UTF-8 bytes, mixing 1-, 2-, 3- and 4-byte code
     * points (never unpaired surrogates); sometimes filled to exactly {@code maxBytes}.
     */
    public String string(int maxBytes) {
        int target = switch (random.nextInt(10)) {
            case 0 -> 0;
            case 1 -> maxBytes;
            case 2 -> random.nextInt(maxBytes + 1);
            default -> random.nextInt(Math.min(maxBytes, 24) + 1);
        };
        int style = random.nextInt(3);
        StringBuilder sb = new StringBuilder();
        int bytes = 0;
        while (bytes < target) {
            int cp = style == 0 ? 'a' + random.nextInt(26) : codePoint();
            int len = cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
            if (bytes + len > target) {
                cp = 'z';
                len = 1;
            }
            sb.appendCodePoint(cp);
            bytes += len;
        }
        String s = sb.toString();
        assert s.getBytes(StandardCharsets.UTF_8).length <= maxBytes;
        return s;
    }

    private int codePoint() {
        return switch (random.nextInt(5)) {
            case 0 -> random.nextInt(0x80);                   // ASCII, including control bytes and NUL
            case 1 -> 0x80 + random.nextInt(0x800 - 0x80);    // 2 bytes
            case 2 -> {                                        // 3 bytes, skipping surrogates
                int cp = 0x800 + random.nextInt(0x10000 - 0x800 - 0x800);
                yield cp >= 0xD800 ? cp + 0x800 : cp;
            }
            case 3 -> 0x10000 + random.nextInt(0x110000 - 0x10000); // 4 bytes
            default -> "αβγ€😀日本語ü".codePointAt(0);
        };
    }

    public String shortString() {
        return string(Limits.MAX_SHORT_STRING);
    }

    // ---- ids ------------------------------------------------------------------------------------

    public ObjectId objectId() {
        return chance(0.02) ? ObjectId.ZERO : ObjectId.of(random.nextLong(), random.nextLong(), random.nextLong(), random.nextLong());
    }

    public Address address() {
        return chance(0.02) ? Address.ZERO : Address.of(random.nextLong(), random.nextLong(), random.nextLong(), random.nextLong());
    }

    public Digest digest() {
        return chance(0.02) ? Digest.ZERO : Digest.of(random.nextLong(), random.nextLong(), random.nextLong(), random.nextLong());
    }

    // ---- object model ---------------------------------------------------------------------------

    public Owner owner() {
        return switch (random.nextInt(4)) {
            case 0 -> Owner.address(address());
            case 1 -> Owner.shared(longAtLeast(0));
            case 2 -> Owner.IMMUTABLE;
            default -> Owner.parent(objectId());
        };
    }

    /** A reference; 10% are absent reads (version 0, zero digest). */
    public ObjectRef objectRef() {
        return chance(0.1) ? ObjectRef.absent(objectId()) : new ObjectRef(objectId(), longAtLeast(1), digest());
    }

    public InputObject inputObject() {
        return chance(0.5) ? InputObject.owned(objectRef()) : InputObject.shared(objectId(), random.nextBoolean());
    }

    public StoredObject storedObject() {
        return storedObject(longAtLeast(1), 256);
    }

    /** An object at {@code version} whose contents are usually at most {@code smallContents} bytes. */
    public StoredObject storedObject(long version, int smallContents) {
        return new StoredObject(objectId(), version, owner(), shortString(),
                bytes(size(Limits.MAX_OBJECT_BYTES, smallContents)));
    }

    /** An object at {@code version} with at most {@code maxContents} bytes of contents. */
    public StoredObject smallObject(long version, int maxContents) {
        return new StoredObject(objectId(), version, owner(), shortString(), bytes(random.nextInt(maxContents + 1)));
    }

    public Transaction transaction() {
        List<InputObject> inputs = list(size(Limits.MAX_INPUTS, 6), this::inputObject);
        return Transaction.of(address(), bytes(32), anyLong(), longAtLeast(0), inputs, shortString(), shortString(),
                bytes(size(Limits.MAX_ARGUMENT_BYTES, 64)), bytes(64));
    }

    public ExecutionStatus status() {
        return chance(0.6) ? ExecutionStatus.SUCCESS : failure();
    }

    public ExecutionStatus.Failure failure() {
        return new ExecutionStatus.Failure((int) anyLong(), shortString());
    }

    public Event event() {
        return new Event(shortString(), bytes(size(Limits.MAX_EVENT_BYTES, 64)));
    }

    public Effects effects() {
        return effects(digest());
    }

    /**
     * Effects of {@code tx}. A failure writes and deletes nothing; a success has created and
     * mutated objects at the lamport version. Limit-sized lists carry small elements so the whole
     * message stays under {@link Limits#MAX_MESSAGE_BYTES}.
     */
    public Effects effects(Digest tx) {
        ExecutionStatus status = status();
        long lamport = longAtLeast(1);
        long gas = longAtLeast(0);
        List<Effects.ModifiedAt> modified = list(size(Limits.MAX_OBJECTS_PER_EFFECTS, 4),
                () -> new Effects.ModifiedAt(objectId(), longAtLeast(0)));
        if (!status.isSuccess()) {
            return new Effects(tx, status, gas, lamport, modified, List.of(), List.of(), list(size(Limits.MAX_EVENTS, 2), this::event));
        }
        int nw = size(Limits.MAX_OBJECTS_PER_EFFECTS, 4);
        // Many written objects: keep each small so the effects fit in one message.
        List<Effects.Written> written = list(nw, () -> new Effects.Written(
                nw > 16 ? smallObject(lamport, 64) : storedObject(lamport, 256), random.nextBoolean()));
        List<ObjectId> deleted = list(size(Limits.MAX_OBJECTS_PER_EFFECTS, 3), this::objectId);
        List<Event> events = list(size(Limits.MAX_EVENTS, 3), this::event);
        return new Effects(tx, status, gas, lamport, modified, written, deleted, events);
    }

    public PrecompileResult precompileResult() {
        return new PrecompileResult(random.nextInt(0x10000), digest(), bytes(size(Limits.MAX_PRECOMPILE_OUTPUT, 64)));
    }

    public Authenticator authenticator() {
        Authenticator.Status[] all = Authenticator.Status.values();
        return new Authenticator(all[random.nextInt(all.length)], shortString(), digest());
    }

    public LookupTable lookupTable() {
        return new LookupTable(list(size(Limits.MAX_READS, 8), this::objectRef),
                list(size(Limits.MAX_PRECOMPILES, 2), this::precompileResult), authenticator());
    }

    /** Half full (with effects for the same transaction), half verify-only. */
    public PreExecResult preExecResult() {
        Digest tx = digest();
        long watermark = anyLong();
        LookupTable table = lookupTable();
        return chance(0.5) ? PreExecResult.full(effects(tx), table, watermark)
                : PreExecResult.verifyOnly(tx, table, watermark);
    }

    /** A commit of usually a few transactions, sometimes a few hundred. */
    public Commit commit() {
        int n = chance(0.02) ? 100 + random.nextInt(300) : size(8, 8);
        return new Commit(longAtLeast(0), list(n, this::transaction));
    }

    public <T> List<T> list(int n, Supplier<T> element) {
        List<T> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            out.add(element.get());
        }
        return out;
    }
}
