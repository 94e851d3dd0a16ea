package io.remora.preexec;

import io.remora.preexec.micrometer.PreExecutorPrometheus;
import java.net.InetSocketAddress;

/**
 * {@link PreExecutorMain}'s only door to Micrometer: this class is loaded only when
 * {@code --metrics-port} is given, so the pre-executor runs without Micrometer otherwise; without
 * it on the class path the option fails with a clear message.
 */
final class MetricsSupport {
    private MetricsSupport() {
    }

    /** Binds the endpoint; {@link IllegalArgumentException} if it cannot (port in use, no Micrometer). */
    static AutoCloseable serve(InetSocketAddress address, String nodeId) {
        try {
            return PreExecutorPrometheus.serve(address, nodeId);
        } catch (java.io.UncheckedIOException e) {
            throw new IllegalArgumentException(PreExecutorMain.METRICS_PORT + "=" + address.getPort()
                    + " (expected: a free port): " + e.getMessage());
        } catch (LinkageError e) {
            throw new IllegalArgumentException(PreExecutorMain.METRICS_PORT + " (expected: micrometer-core and"
                    + " micrometer-registry-prometheus on the class path): " + e);
        }
    }

    /** Adds the started pre-executor's meters; returns the scrape URL. */
    static String bind(AutoCloseable endpoint, PreExecutor px) {
        PreExecutorPrometheus p = (PreExecutorPrometheus) endpoint;
        p.bind(px);
        return p.url();
    }
}
