package io.remora.transport.micrometer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(30)
class PrometheusEndpointTest {
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private HttpResponse<String> send(PrometheusEndpoint e, String method, String path) throws Exception {
        URI uri = URI.create("http://127.0.0.1:" + e.address().getPort() + path);
        HttpRequest req = HttpRequest.newBuilder(uri).method(method, HttpRequest.BodyPublishers.noBody())
                .timeout(Duration.ofSeconds(5)).build();
        return http.send(req, HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void shouldServeTheScrapeAtMetricsOverLoopback() throws Exception {
        AtomicInteger scrapes = new AtomicInteger();
        try (PrometheusEndpoint e = PrometheusEndpoint.start(PrometheusEndpoint.loopback(0),
                () -> "remora_test_total " + scrapes.incrementAndGet() + "\n")) {
            assertTrue(e.address().getAddress().isLoopbackAddress(), "bound to loopback by default");
            HttpResponse<String> r = send(e, "GET", "/metrics");
            assertEquals(200, r.statusCode());
            assertEquals("remora_test_total 1\n", r.body());
            assertEquals(PrometheusEndpoint.CONTENT_TYPE, r.headers().firstValue("Content-Type").orElseThrow());
            assertEquals("remora_test_total 2\n", send(e, "GET", "/metrics").body(), "each request scrapes again");
            assertTrue(e.url().endsWith(":" + e.address().getPort() + "/metrics"));
        }
    }

    @Test
    void shouldAnswer404ForOtherPathsAnd405ForOtherMethods() throws Exception {
        try (PrometheusEndpoint e = PrometheusEndpoint.start(PrometheusEndpoint.loopback(0), () -> "x 1\n")) {
            assertEquals(404, send(e, "GET", "/").statusCode());
            assertEquals(404, send(e, "GET", "/metrics/extra").statusCode());
            assertEquals(404, send(e, "GET", "/favicon.ico").statusCode());
            assertEquals(405, send(e, "POST", "/metrics").statusCode());
            assertEquals(200, send(e, "HEAD", "/metrics").statusCode());
            assertEquals(200, send(e, "GET", "/metrics?name[]=x").statusCode(), "query strings are ignored");
        }
    }

    @Test
    void shouldSurviveGarbageAndAFailingScrape() throws Exception {
        AtomicInteger calls = new AtomicInteger();
        try (PrometheusEndpoint e = PrometheusEndpoint.start(PrometheusEndpoint.loopback(0), () -> {
            if (calls.incrementAndGet() == 1) {
                throw new IllegalStateException("registry closed");
            }
            return "ok 1\n";
        })) {
            assertEquals(500, send(e, "GET", "/metrics").statusCode());
            for (String garbage : new String[] {"\0\1\2\3\r\n\r\n", "GET\r\n\r\n", "GET /metrics HTTP/9.9\r\n"
                    + "Content-Length: -5\r\n\r\n", "X".repeat(100_000) + "\r\n\r\n"}) {
                try (Socket s = new Socket("127.0.0.1", e.address().getPort())) {
                    s.setSoTimeout(5000);
                    OutputStream out = s.getOutputStream();
                    out.write(garbage.getBytes(StandardCharsets.ISO_8859_1));
                    out.flush();
                    s.shutdownOutput();
                    InputStream in = s.getInputStream();
                    in.readAllBytes(); // whatever the JDK server answers, then it closes
                } catch (IOException closedOnUs) {
                    // a reset is an answer too
                }
            }
            assertEquals(200, send(e, "GET", "/metrics").statusCode(), "still serving");
        }
    }

    @Test
    void shouldReleaseItsPortOnCloseAndRefuseABusyOne() throws Exception {
        PrometheusEndpoint e = PrometheusEndpoint.start(PrometheusEndpoint.loopback(0), () -> "x 1\n");
        int port = e.address().getPort();
        assertThrows(UncheckedIOException.class, () -> PrometheusEndpoint.start(PrometheusEndpoint.loopback(port), () -> ""));
        e.close();
        e.close();
        try (PrometheusEndpoint again = PrometheusEndpoint.start(PrometheusEndpoint.loopback(port), () -> "y 1\n")) {
            assertEquals("y 1\n", send(again, "GET", "/metrics").body());
        }
        assertThrows(IllegalArgumentException.class, () -> PrometheusEndpoint.loopback(70000));
    }
}
