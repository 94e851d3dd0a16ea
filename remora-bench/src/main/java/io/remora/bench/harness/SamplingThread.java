package io.remora.bench.harness;

/**
 * The bench's probes' own thread: a daemon that calls {@link #sample} every {@code periodMs} until
 * {@link #close}d (or until a sample throws: a probe is cosmetic, the point goes on without it).
 *
 * <p>Thread-safety: {@link #startSampling} once; {@link #close} from any thread, then read the
 * subclass's results.
 */
abstract class SamplingThread implements AutoCloseable {
    private final Thread thread;
    private final long periodMs;
    private volatile boolean stop;

    SamplingThread(String name, long periodMs) {
        this.periodMs = periodMs;
        this.thread = new Thread(this::loop, name);
        thread.setDaemon(true);
    }

    /** One sample, on the probe's thread. */
    abstract void sample();

    final void startSampling() {
        thread.start();
    }

    private void loop() {
        try {
            while (!stop) {
                sample();
                Thread.sleep(periodMs);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            // a probe is cosmetic: it stops, the point goes on
        }
    }

    /** Stops sampling and waits (up to 5 s) for the thread to end. */
    @Override
    public void close() {
        stop = true;
        thread.interrupt();
        try {
            thread.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
