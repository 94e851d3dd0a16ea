package io.remora.primary.internal;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * Block-STM's collaborative scheduler for one commit (Gelashvili et al., "Block-STM", PPoPP'23,
 * Algorithms 4–5): workers repeatedly take the lowest-indexed pending task, preferring validation,
 * until every position is executed and validated with no task in flight.
 *
 * <p>A task is {@code (position, incarnation, kind)} packed into a long by {@link #task}; -1 means
 * "no task". Per-position status and the set of positions waiting on it are guarded by the
 * position's monitor; when two monitors are held, the lower position's is taken first (a position
 * only ever waits on a lower one), so there is no lock-order cycle.
 *
 * <p>Thread-safe.
 */
final class BlockStmScheduler {
    static final int READY = 0;
    static final int EXECUTING = 1;
    static final int EXECUTED = 2;
    static final int ABORTING = 3;

    static final long NONE = -1;
    static final int EXECUTION = 0;
    static final int VALIDATION = 1;

    private final int size;
    private final AtomicInteger executionIdx = new AtomicInteger();
    private final AtomicInteger validationIdx = new AtomicInteger();
    private final AtomicInteger decreaseCount = new AtomicInteger();
    private final AtomicInteger activeTasks = new AtomicInteger();
    private volatile boolean done;

    private final Object[] monitors;
    private final int[] status;
    private final int[] incarnation;
    /** Positions waiting for position i to finish executing; a small int list per position. */
    private final int[][] dependents;
    private final int[] dependentCount;

    BlockStmScheduler(int size) {
        this.size = size;
        this.monitors = new Object[size];
        this.status = new int[size];
        this.incarnation = new int[size];
        this.dependents = new int[size][];
        this.dependentCount = new int[size];
        for (int i = 0; i < size; i++) {
            monitors[i] = new Object();
        }
        if (size == 0) {
            done = true;
        }
    }

    /**
     * Marks incarnation 0 of {@code position} as already executed (its pre-execution result was
     * recorded before the workers started): it will be validated, not executed.
     */
    void markPreExecuted(int position) {
        synchronized (monitors[position]) {
            status[position] = EXECUTED;
        }
    }

    static long task(int position, int incarnation, int kind) {
        return ((long) position << 32) | ((long) incarnation << 1) | kind;
    }

    static int position(long task) {
        return (int) (task >>> 32);
    }

    static int incarnation(long task) {
        return (int) (task & 0xFFFF_FFFFL) >>> 1;
    }

    static int kind(long task) {
        return (int) (task & 1);
    }

    boolean done() {
        return done;
    }

    /** Stops every worker (used when a worker fails). */
    void abortAll() {
        done = true;
    }

    private void decreaseExecutionIdx(int target) {
        executionIdx.accumulateAndGet(target, Math::min);
        decreaseCount.incrementAndGet();
    }

    private void decreaseValidationIdx(int target) {
        validationIdx.accumulateAndGet(target, Math::min);
        decreaseCount.incrementAndGet();
    }

    private void checkDone() {
        int observed = decreaseCount.get();
        if (Math.min(executionIdx.get(), validationIdx.get()) >= size && activeTasks.get() == 0
                && observed == decreaseCount.get()) {
            done = true;
        }
    }

    private long tryIncarnate(int position) {
        if (position < size) {
            synchronized (monitors[position]) {
                if (status[position] == READY) {
                    status[position] = EXECUTING;
                    return task(position, incarnation[position], EXECUTION);
                }
            }
        }
        activeTasks.decrementAndGet();
        return NONE;
    }

    private long nextVersionToExecute() {
        if (executionIdx.get() >= size) {
            checkDone();
            return NONE;
        }
        activeTasks.incrementAndGet();
        return tryIncarnate(executionIdx.getAndIncrement());
    }

    private long nextVersionToValidate() {
        if (validationIdx.get() >= size) {
            checkDone();
            return NONE;
        }
        activeTasks.incrementAndGet();
        int idx = validationIdx.getAndIncrement();
        if (idx < size) {
            synchronized (monitors[idx]) {
                if (status[idx] == EXECUTED) {
                    return task(idx, incarnation[idx], VALIDATION);
                }
            }
        }
        activeTasks.decrementAndGet();
        return NONE;
    }

    /** The next task for an idle worker, or {@link #NONE}. */
    long nextTask() {
        if (validationIdx.get() < executionIdx.get()) {
            return nextVersionToValidate();
        }
        return nextVersionToExecute();
    }

    /**
     * Registers that {@code position} read an ESTIMATE of {@code blocking}. Returns false if
     * {@code blocking} has meanwhile finished (the caller re-executes at once).
     */
    boolean addDependency(int position, int blocking) {
        synchronized (monitors[blocking]) {
            if (status[blocking] == EXECUTED) {
                return false;
            }
            synchronized (monitors[position]) {
                status[position] = ABORTING;
            }
            int n = dependentCount[blocking];
            int[] list = dependents[blocking];
            if (list == null || n == list.length) {
                list = list == null ? new int[4] : java.util.Arrays.copyOf(list, n * 2);
                dependents[blocking] = list;
            }
            list[n] = position;
            dependentCount[blocking] = n + 1;
        }
        activeTasks.decrementAndGet();
        return true;
    }

    private void setReady(int position) {
        synchronized (monitors[position]) {
            incarnation[position]++;
            status[position] = READY;
        }
    }

    /** Marks an incarnation executed, wakes its dependents, and maybe returns its validation task. */
    long finishExecution(int position, int inc, boolean wroteNewLocation) {
        int[] woken;
        int n;
        synchronized (monitors[position]) {
            status[position] = EXECUTED;
            woken = dependents[position];
            n = dependentCount[position];
            dependents[position] = null;
            dependentCount[position] = 0;
        }
        if (n > 0) {
            int min = Integer.MAX_VALUE;
            for (int i = 0; i < n; i++) {
                setReady(woken[i]);
                min = Math.min(min, woken[i]);
            }
            decreaseExecutionIdx(min);
        }
        if (validationIdx.get() > position) {
            if (wroteNewLocation) {
                decreaseValidationIdx(position);
            } else {
                return task(position, inc, VALIDATION);
            }
        }
        activeTasks.decrementAndGet();
        return NONE;
    }

    /** Claims the right to abort an executed incarnation that failed validation. */
    boolean tryValidationAbort(int position, int inc) {
        synchronized (monitors[position]) {
            if (status[position] == EXECUTED && incarnation[position] == inc) {
                status[position] = ABORTING;
                return true;
            }
            return false;
        }
    }

    /** After a validation: schedules re-execution of an aborted position, maybe returning it. */
    long finishValidation(int position, boolean aborted) {
        if (aborted) {
            setReady(position);
            decreaseValidationIdx(position + 1);
            if (executionIdx.get() > position) {
                return tryIncarnate(position);
            }
        }
        activeTasks.decrementAndGet();
        return NONE;
    }
}
