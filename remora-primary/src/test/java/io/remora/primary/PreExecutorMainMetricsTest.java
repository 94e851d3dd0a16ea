package io.remora.primary;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.remora.core.engine.BuiltinEngine;
import io.remora.core.testkit.TestDirs;
import io.remora.core.workload.Workload;
import io.remora.core.workload.Workloads;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@code PreExecutorMain --metrics-port 0} (a real pre-executor process) serves its meters for
 * Prometheus over loopback, tagged with its node id, and 404 for other paths.
 */
@Timeout(120)
class PreExecutorMainMetricsTest {
    private static final Pattern URL = Pattern.compile("metrics at (http://127\\.0\\.0\\.1:\\d+/metrics)");
    private final HttpClient http = HttpClient.newHttpClient();
    private Path dir;
    private RemoraPrimary primary;
    private RemoraCluster cluster;
    private PreExecutorProcess child;

    @AfterEach
    void tearDown() throws Exception {
        if (child != null) {
            child.close();
        }
        if (cluster != null) {
            cluster.close();
        }
        if (primary != null) {
            primary.close();
        }
        if (dir != null) {
            TestDirs.delete(dir);
        }
    }

    private HttpResponse<String> get(String url) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(5)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void shouldServeThePreExecutorsMetricsOnItsMetricsPort() throws Exception {
        dir = Files.createTempDirectory("remora-preexec-metrics");
        Workload w = Workloads.mixed(5).take(10);
        primary = RemoraPrimary.builder().dataDirectory(dir.resolve("db"))
                .transactionExecutor(BuiltinEngine.executor("primary")).genesis(w.genesis())
                .fsyncPolicy(FsyncPolicy.NEVER).build();
        primary.start();
        cluster = RemoraCluster.builder().primary(primary).clusterSecret(ClusterIntegrationTest.SECRET)
                .consensus(tx -> { }).build().start();
        child = PreExecutorProcess.start("pre-m", cluster.port(), ClusterIntegrationTest.SECRET, dir.resolve("logs"),
                "--metrics-port", "0");
        AtomicReference<String> url = new AtomicReference<>();
        ClusterIntegrationTest.await(Duration.ofSeconds(60), () -> {
            Matcher m = URL.matcher(child.output());
            if (m.find()) {
                url.set(m.group(1));
            }
            return url.get() != null && cluster.peers().stream().anyMatch(PeerStatus::synced);
        }, () -> "no metrics URL or not synced: " + child.output());

        HttpResponse<String> r = get(url.get());
        assertEquals(200, r.statusCode());
        ScrapeText s = ScrapeText.parse(r.body());
        assertEquals(1, s.value("remora_preexec_synced{node=\"pre-m\"}"), r.body());
        assertTrue(s.value("remora_preexec_snapshots_installed_total{node=\"pre-m\"}") >= 1, r.body());
        assertTrue(s.sum("remora_transport_connections_opened_total", "link=\"primary\"") >= 1, r.body());
        assertTrue(s.names().contains("process_cpu_usage"), "JVM/process meters too");
        assertEquals(404, get(url.get().replace("/metrics", "/other")).statusCode());
    }
}
