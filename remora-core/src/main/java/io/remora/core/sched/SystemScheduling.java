package io.remora.core.sched;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/** {@link Scheduling#system()}: the monotonic clock and daemon platform threads. Stateless. */
final class SystemScheduling implements Scheduling {
    static final SystemScheduling INSTANCE = new SystemScheduling();

    private SystemScheduling() {
    }

    @Override
    public long nanoTime() {
        return System.nanoTime();
    }

    @Override
    public ScheduledExecutorService singleThread(String name) {
        return Executors.newSingleThreadScheduledExecutor(daemonThreads(name));
    }

    @Override
    public ExecutorService pool(String namePrefix, int threads) {
        return Executors.newFixedThreadPool(threads, daemonThreads(namePrefix));
    }

    @Override
    public void pause(long nanos) throws InterruptedException {
        TimeUnit.NANOSECONDS.sleep(Math.max(0, nanos));
    }

    /**
     * Daemon threads: named {@code name} when it does not end in '-', else {@code name + n}
     * (n from 1).
     */
    static ThreadFactory daemonThreads(String name) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, name.endsWith("-") ? name + n.incrementAndGet() : name);
            t.setDaemon(true);
            return t;
        };
    }

    @Override
    public String toString() {
        return "Scheduling.system()";
    }
}
