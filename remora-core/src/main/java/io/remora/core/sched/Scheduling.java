package io.remora.core.sched;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.ScheduledExecutorService;

/**
 * Where a component gets its time and its threads, so that a simulator can hand it virtual ones
 * (as Aeron Cluster hands time to its service). {@link #system()} is the production choice: the
 * monotonic clock and daemon platform threads. A deterministic simulator runs every executor it
 * hands out on one thread in virtual time, so a seeded run replays exactly.
 *
 * <p>Components that take a {@code Scheduling} ({@code PreExecutor.Builder#scheduling},
 * {@code RemoraCluster.Builder#scheduling}) create all their executors through it and read time
 * only through {@link #nanoTime()}; they never block a thread they got from it except through
 * {@link #pause}.
 *
 * <p>Thread-safety: implementations are safe for concurrent use.
 */
public interface Scheduling {
    /** Monotonic time in nanoseconds (differences only, like {@link System#nanoTime()}). */
    long nanoTime();

    /** A new single-threaded executor with timers; {@code name} names its thread. */
    ScheduledExecutorService singleThread(String name);

    /** A new pool of {@code threads} threads named {@code namePrefix + n}. */
    ExecutorService pool(String namePrefix, int threads);

    /**
     * Blocks the calling thread for about {@code nanos} (a caller polling for a condition). A
     * simulator runs other due work meanwhile and advances its virtual clock.
     */
    void pause(long nanos) throws InterruptedException;

    /**
     * Whether time is virtual (a simulator's): components that wait on a monitor then leave waking
     * to the simulator, which steps time and wakes them between its events. False for
     * {@link #system()}.
     */
    default boolean isVirtual() {
        return false;
    }

    /** The production scheduling: {@link System#nanoTime()} and daemon threads. */
    static Scheduling system() {
        return SystemScheduling.INSTANCE;
    }

    /**
     * The daemon threads {@link #system()} makes, for an executor that is not one of its kinds (a
     * Disruptor's stages): named {@code name} when it does not end in '-', else {@code name + n}
     * (n from 1).
     */
    static java.util.concurrent.ThreadFactory daemonThreads(String name) {
        return SystemScheduling.daemonThreads(name);
    }
}
