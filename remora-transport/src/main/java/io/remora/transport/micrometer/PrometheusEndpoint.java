package io.remora.transport.micrometer;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Objects;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * A minimal HTTP endpoint that serves a Prometheus scrape at {@code GET /metrics} (JDK
 * {@code com.sun.net.httpserver}; no Micrometer type in its signature: pass
 * {@code PrometheusMeterRegistry::scrape}). Shared by {@code PreExecutorMain --metrics-port}, the
 * demo and the example validators.
 *
 * <pre>{@code
 * PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
 * new PrimaryMeterBinder(primary).bindTo(registry);
 * try (PrometheusEndpoint endpoint = PrometheusEndpoint.start(PrometheusEndpoint.loopback(9400), registry::scrape)) {
 *     ...
 * }
 * }</pre>
 *
 * <p>Behaviour: {@code GET} or {@code HEAD /metrics} → 200, Prometheus text format 0.0.4; any other
 * path → 404; another method → 405; a scrape that throws → 500 with the exception's class (the
 * server goes on). Bound to the address given (use {@link #loopback} unless a scraper on another
 * machine must reach it: the metrics say how the validator runs). Two daemon handler threads and
 * at most 16 requests queued (more are answered 503 by the accepting thread); malformed requests
 * are answered 400 by the JDK server and close only their connection.
 *
 * <p>Thread-safe. {@link #close()} stops the server and its threads (idempotent).
 */
public final class PrometheusEndpoint implements AutoCloseable {
    /** The content type of Prometheus' text exposition format. */
    public static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";
    private static final int THREADS = 2;
    private static final int QUEUE = 16;
    private static final AtomicInteger SERIAL = new AtomicInteger();
    /** Set while the dispatcher thread answers a request the handler pool had no room for. */
    private static final ThreadLocal<Boolean> OVERFLOW = ThreadLocal.withInitial(() -> false);

    private final HttpServer server;
    private final ThreadPoolExecutor handlers;
    private final Supplier<String> scrape;

    private PrometheusEndpoint(HttpServer server, ThreadPoolExecutor handlers, Supplier<String> scrape) {
        this.server = server;
        this.handlers = handlers;
        this.scrape = scrape;
    }

    /** {@code 127.0.0.1:port} (port 0: any free port, see {@link #address()}). */
    public static InetSocketAddress loopback(int port) {
        return new InetSocketAddress(InetAddress.getLoopbackAddress(), checkPort(port));
    }

    /**
     * Binds {@code address} and starts serving {@code scrape}'s text at {@code /metrics}.
     *
     * @throws UncheckedIOException if the address cannot be bound (in use, not local)
     */
    public static PrometheusEndpoint start(InetSocketAddress address, Supplier<String> scrape) {
        Objects.requireNonNull(address, "address");
        Objects.requireNonNull(scrape, "scrape");
        checkPort(address.getPort());
        int serial = SERIAL.incrementAndGet();
        AtomicInteger threads = new AtomicInteger();
        ThreadPoolExecutor handlers = new ThreadPoolExecutor(THREADS, THREADS, 30, TimeUnit.SECONDS,
                new ArrayBlockingQueue<>(QUEUE), r -> {
                    Thread t = new Thread(r, "remora-metrics-http-" + serial + "-" + threads.incrementAndGet());
                    t.setDaemon(true);
                    return t;
                }, new ThreadPoolExecutor.AbortPolicy());
        handlers.allowCoreThreadTimeOut(true);
        HttpServer server;
        try {
            server = HttpServer.create(address, 64);
        } catch (IOException e) {
            handlers.shutdownNow();
            throw new UncheckedIOException("metrics endpoint: cannot bind " + address + ": " + e.getMessage(), e);
        }
        PrometheusEndpoint endpoint = new PrometheusEndpoint(server, handlers, scrape);
        server.createContext("/", endpoint::handle);
        // The JDK server calls the executor on its dispatcher thread: a full queue must not throw there.
        server.setExecutor(task -> {
            try {
                handlers.execute(task);
            } catch (java.util.concurrent.RejectedExecutionException busy) {
                OVERFLOW.set(true); // answered 503 at once (see handle), on the dispatcher thread
                try {
                    task.run();
                } finally {
                    OVERFLOW.set(false);
                }
            }
        });
        server.start();
        return endpoint;
    }

    /** The bound address (with the actual port when 0 was asked). */
    public InetSocketAddress address() {
        return server.getAddress();
    }

    /** {@code http://host:port/metrics}. */
    public String url() {
        InetSocketAddress a = address();
        return "http://" + a.getAddress().getHostAddress() + ":" + a.getPort() + "/metrics";
    }

    private void handle(HttpExchange ex) {
        try (ex) {
            boolean overflow = OVERFLOW.get();
            String method = ex.getRequestMethod();
            if (!"/metrics".equals(ex.getRequestURI().getPath())) {
                reply(ex, 404, "not found: try /metrics\n", false);
            } else if (!"GET".equals(method) && !"HEAD".equals(method)) {
                ex.getResponseHeaders().set("Allow", "GET, HEAD");
                reply(ex, 405, "method not allowed\n", false);
            } else if (overflow) {
                reply(ex, 503, "busy\n", false);
            } else {
                String body;
                try {
                    body = scrape.get();
                } catch (RuntimeException e) {
                    reply(ex, 500, "scrape failed: " + e.getClass().getName() + "\n", false);
                    return;
                }
                ex.getResponseHeaders().set("Content-Type", CONTENT_TYPE);
                reply(ex, 200, body, "HEAD".equals(method));
            }
        } catch (IOException | RuntimeException e) {
            // the client went away, or sent something the JDK server rejects: only this exchange ends
        }
    }

    private static void reply(HttpExchange ex, int status, String body, boolean head) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        if (status != 200) {
            ex.getResponseHeaders().set("Content-Type", "text/plain; charset=utf-8");
        }
        if (head) {
            ex.sendResponseHeaders(status, -1);
            return;
        }
        ex.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(bytes);
        }
    }

    private static int checkPort(int port) {
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port=" + port + " (expected: 0..65535)");
        }
        return port;
    }

    @Override
    public void close() {
        server.stop(0);
        handlers.shutdownNow();
    }
}
