package io.remora.primary.sim;

import io.remora.core.sched.Scheduling;
import io.remora.primary.internal.PrimaryRuntime;
import java.util.ArrayList;
import java.util.List;
import java.util.PriorityQueue;
import java.util.concurrent.AbstractExecutorService;
import java.util.concurrent.Callable;
import java.util.concurrent.Delayed;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.FutureTask;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * Virtual time and one event queue for a whole simulated cluster. Every executor handed out (to a
 * pre-executor, the cluster service) runs its tasks as events of this queue, on the simulator's
 * thread, in (time, sequence) order: one seed gives one order. Executors belong to a {@link Node}
 * that the simulator can {@link Node#kill kill} (its tasks vanish, as on a dead machine) or
 * {@link Node#pause pause} (its tasks wait, as in a stopped process) and resume.
 *
 * <p>Thread-safety: tasks may be enqueued from any thread (the primary's pipeline threads publish
 * into the cluster service); they run only on the thread calling {@link #runNext} or
 * {@link Node#pause(long)} ({@link Scheduling#pause}).
 */
final class SimScheduler {
    /** Virtual time starts here (some code subtracts durations from "now"). */
    static final long EPOCH = 1_000_000_000_000L;

    private final PriorityQueue<Event> queue = new PriorityQueue<>();
    private long now = EPOCH;
    private long sequence;
    private long ran;
    private final List<Throwable> uncaught = new ArrayList<>();
    /** Test hook: a real (wall-clock) stall before each step taken while the primary waits, or null. */
    private java.util.Random jitter;
    private long jitterMaxNanos;

    private static final class Event implements Comparable<Event> {
        final long time;
        final long seq;
        final SimExecutor owner;
        final Runnable task;
        volatile boolean cancelled;

        Event(long time, long seq, SimExecutor owner, Runnable task) {
            this.time = time;
            this.seq = seq;
            this.owner = owner;
            this.task = task;
        }

        @Override
        public int compareTo(Event o) {
            int c = Long.compare(time, o.time);
            return c != 0 ? c : Long.compare(seq, o.seq);
        }
    }

    synchronized long now() {
        return now;
    }

    /** Events run so far (part of the trace). */
    synchronized long ran() {
        return ran;
    }

    /** Exceptions that escaped a task (a component bug: its own executors would have lost them). */
    synchronized List<Throwable> uncaught() {
        return List.copyOf(uncaught);
    }

    /** A simulated machine: its executors and their fate. */
    Node node(String name) {
        return new Node(name);
    }

    /** Runs {@code task} (not owned by any node) at {@code now + delayNanos}. */
    void at(long delayNanos, Runnable task) {
        enqueue(Math.max(0, delayNanos), null, task);
    }

    private synchronized Event enqueue(long delayNanos, SimExecutor owner, Runnable task) {
        Event e = new Event(now + delayNanos, sequence++, owner, task);
        queue.add(e);
        return e;
    }

    /** Time of the next event, or Long.MAX_VALUE. */
    synchronized long nextTime() {
        Event e = queue.peek();
        return e == null ? Long.MAX_VALUE : e.time;
    }

    /** Moves the clock forward to {@code time} (never back). */
    synchronized void advanceTo(long time) {
        now = Math.max(now, time);
    }

    /**
     * Runs the next event if it is due at or before {@code limit} (the clock moves to its time);
     * returns whether one ran. Events of killed nodes are dropped, those of paused nodes set aside.
     */
    boolean runNext(long limit) {
        Event e;
        while (true) {
            synchronized (this) {
                e = queue.peek();
                if (e == null || e.time > limit) {
                    return false;
                }
                queue.poll();
                if (e.cancelled || (e.owner != null && e.owner.dropped())) {
                    continue;
                }
                if (e.owner != null && e.owner.node.paused) {
                    e.owner.node.held.add(e);
                    continue;
                }
                now = Math.max(now, e.time);
                ran++;
            }
            break;
        }
        try {
            e.task.run();
        } catch (Throwable t) {
            synchronized (this) {
                uncaught.add(t);
            }
        }
        return true;
    }

    /** Runs every event due up to {@code now + nanos}, then sets the clock there. */
    void runFor(long nanos) {
        long until = now() + nanos;
        while (runNext(until)) {
            // keep going
        }
        advanceTo(until);
    }

    /**
     * Waits for {@code f} (a commit handed to the primary, whose pipeline threads are real): each
     * time the primary starts waiting for results, runs one event (or moves the clock to the wait's
     * deadline) and wakes the wait. {@code seen} carries the wait count read before submitting.
     */
    void stepWhileWaiting(PrimaryRuntime rt, Future<?> f, long[] seen) {
        while (!f.isDone()) {
            long entries = rt.resultWaitEntries();
            if (entries == seen[0]) {
                LockSupport.parkNanos(20_000);
                continue;
            }
            seen[0] = entries;
            stall();
            long until = rt.resultWaitingUntil();
            if (!runNext(until)) {
                advanceTo(until);
            }
            rt.wakeResultWaiters();
        }
    }

    /**
     * Makes this thread stall for a random real time, up to {@code maxNanos}, before each step it
     * takes while the primary waits for results (as a loaded machine deschedules it): virtual time
     * and the trace must not notice. {@code random} drives only the stalls, never the simulation.
     */
    void realTimeJitter(java.util.Random random, long maxNanos) {
        this.jitter = random;
        this.jitterMaxNanos = maxNanos;
    }

    private void stall() {
        if (jitter != null) {
            LockSupport.parkNanos(1 + (long) (jitter.nextDouble() * jitterMaxNanos));
        }
    }

    /** A simulated machine: a {@link Scheduling} whose executors can be killed or paused together. */
    final class Node implements Scheduling {
        final String name;
        private final List<SimExecutor> executors = new ArrayList<>();
        private volatile boolean killed;
        private volatile boolean paused;
        private final List<Event> held = new ArrayList<>();

        private Node(String name) {
            this.name = name;
        }

        /** Kills the machine: every queued and future task of its executors is dropped. */
        void kill() {
            killed = true;
        }

        /** Stops the machine (SIGSTOP): its tasks wait until {@link #resume}. */
        void pauseMachine() {
            paused = true;
        }

        /** Resumes a paused machine: what waited runs now, in order. */
        void resume() {
            synchronized (SimScheduler.this) {
                paused = false;
                for (Event e : held) {
                    queue.add(new Event(now, sequence++, e.owner, e.task));
                }
                held.clear();
            }
        }

        boolean isPaused() {
            return paused;
        }

        boolean isKilled() {
            return killed;
        }

        @Override
        public long nanoTime() {
            return now();
        }

        @Override
        public ScheduledExecutorService singleThread(String threadName) {
            return executor(threadName);
        }

        @Override
        public ExecutorService pool(String namePrefix, int threads) {
            return executor(namePrefix);
        }

        private synchronized SimExecutor executor(String threadName) {
            SimExecutor x = new SimExecutor(this, name + "/" + threadName);
            executors.add(x);
            return x;
        }

        /** Runs the simulation meanwhile (nested), as a blocked thread lets others run. */
        @Override
        public void pause(long nanos) {
            runFor(Math.max(1, nanos));
        }

        @Override
        public boolean isVirtual() {
            return true;
        }

        @Override
        public String toString() {
            return "SimNode{" + name + (killed ? ", killed" : "") + (paused ? ", paused" : "") + '}';
        }
    }

    /** An executor of a node: its tasks are events of the simulator's queue. */
    final class SimExecutor extends AbstractExecutorService implements ScheduledExecutorService {
        final Node node;
        final String name;
        private volatile boolean shutdown;

        SimExecutor(Node node, String name) {
            this.node = node;
            this.name = name;
        }

        boolean dropped() {
            return shutdown || node.killed;
        }

        @Override
        public void execute(Runnable command) {
            java.util.Objects.requireNonNull(command, "command");
            if (shutdown) {
                throw new java.util.concurrent.RejectedExecutionException(name + " is shut down");
            }
            enqueue(0, this, command);
        }

        @Override
        public ScheduledFuture<?> schedule(Runnable command, long delay, TimeUnit unit) {
            return scheduled(Math.max(0, unit.toNanos(delay)), 0, false, () -> {
                command.run();
                return null;
            });
        }

        @Override
        public <V> ScheduledFuture<V> schedule(Callable<V> callable, long delay, TimeUnit unit) {
            return scheduled(Math.max(0, unit.toNanos(delay)), 0, false, callable);
        }

        @Override
        public ScheduledFuture<?> scheduleAtFixedRate(Runnable command, long initialDelay, long period, TimeUnit unit) {
            return periodic(command, initialDelay, period, unit);
        }

        @Override
        public ScheduledFuture<?> scheduleWithFixedDelay(Runnable command, long initialDelay, long delay, TimeUnit unit) {
            return periodic(command, initialDelay, delay, unit);
        }

        private ScheduledFuture<?> periodic(Runnable command, long initialDelay, long period, TimeUnit unit) {
            if (period <= 0) {
                throw new IllegalArgumentException("period=" + period + " (expected: > 0)");
            }
            return scheduled(Math.max(0, unit.toNanos(initialDelay)), unit.toNanos(period), true, () -> {
                command.run();
                return null;
            });
        }

        private <V> ScheduledFuture<V> scheduled(long delay, long period, boolean repeat, Callable<V> body) {
            if (shutdown) {
                throw new java.util.concurrent.RejectedExecutionException(name + " is shut down");
            }
            SimFuture<V> f = new SimFuture<>(body, period, repeat);
            f.event = enqueue(delay, this, f);
            return f;
        }

        @Override
        public void shutdown() {
            shutdown = true;
        }

        @Override
        public List<Runnable> shutdownNow() {
            shutdown = true;
            return List.of();
        }

        @Override
        public boolean isShutdown() {
            return shutdown;
        }

        @Override
        public boolean isTerminated() {
            return shutdown;
        }

        @Override
        public boolean awaitTermination(long timeout, TimeUnit unit) {
            return true;
        }

        /** A delayed (or periodic) task: runs as an event, re-enqueues itself when periodic. */
        private final class SimFuture<V> extends FutureTask<V> implements ScheduledFuture<V> {
            private final long period;
            private final boolean repeat;
            volatile Event event;

            SimFuture(Callable<V> body, long period, boolean repeat) {
                super(body);
                this.period = period;
                this.repeat = repeat;
            }

            @Override
            public void run() {
                if (!repeat) {
                    super.run();
                } else if (runAndReset() && !dropped()) {
                    event = enqueue(period, SimExecutor.this, this);
                }
            }

            @Override
            public boolean cancel(boolean mayInterrupt) {
                Event e = event;
                if (e != null) {
                    e.cancelled = true;
                }
                return super.cancel(mayInterrupt);
            }

            @Override
            public long getDelay(TimeUnit unit) {
                Event e = event;
                return unit.convert(e == null ? 0 : e.time - now(), TimeUnit.NANOSECONDS);
            }

            @Override
            public int compareTo(Delayed o) {
                return Long.compare(getDelay(TimeUnit.NANOSECONDS), o.getDelay(TimeUnit.NANOSECONDS));
            }
        }
    }
}
