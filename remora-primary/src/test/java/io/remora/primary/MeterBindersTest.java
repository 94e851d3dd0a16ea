package io.remora.primary;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.remora.core.Transaction;
import io.remora.core.codec.MessageCodec;
import io.remora.core.engine.BuiltinEngine;
import io.remora.core.workload.Workload;
import io.remora.core.workload.Workloads;
import io.remora.preexec.PreExecutor;
import io.remora.preexec.micrometer.PreExecutorMeterBinder;
import io.remora.primary.micrometer.ClusterMeterBinder;
import io.remora.primary.micrometer.PrimaryMeterBinder;
import io.micrometer.core.instrument.Tags;
import io.remora.core.testkit.TestDirs;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The Micrometer binders bound to a running primary, its cluster and an in-process pre-executor
 * over loopback, scraped by a Prometheus registry: the documented names are exactly the ones
 * exported (docs/operations.md, "Prometheus names", is checked both ways), and the values follow a
 * known workload (counts, not times).
 */
@Timeout(120)
class MeterBindersTest {
    static final Path OPERATIONS_DOC = Path.of("..", "docs", "operations.md");

    private Path dir;
    private RemoraPrimary primary;
    private RemoraCluster cluster;
    private PreExecutor px;
    private SimulatedConsensus consensus;
    private ClusterMeterBinder clusterBinder;
    private PrimaryMeterBinder primaryBinder;

    @AfterEach
    void tearDown() {
        if (clusterBinder != null) {
            clusterBinder.close();
        }
        if (primaryBinder != null) {
            primaryBinder.close();
        }
        if (px != null) {
            px.close();
        }
        if (consensus != null) {
            consensus.close();
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

    @Test
    void shouldExportTheDocumentedNamesWithValuesThatFollowTheWorkload() throws Exception {
        dir = Files.createTempDirectory("remora-metrics");
        Workload w = Workloads.mixed(11).take(300);
        primary = RemoraPrimary.builder().dataDirectory(dir).transactionExecutor(BuiltinEngine.executor("primary"))
                .genesis(w.genesis()).fsyncPolicy(FsyncPolicy.NEVER).workerThreads(2)
                .resultWaitTimeout(Duration.ofMillis(200)).build();
        primary.start();
        consensus = new SimulatedConsensus(primary, 20, 40);
        cluster = RemoraCluster.builder().primary(primary).clusterSecret(ClusterIntegrationTest.SECRET)
                .consensus(consensus).build().start();
        px = PreExecutor.builder().nodeId("px").primary("127.0.0.1", cluster.port())
                .clusterSecret(ClusterIntegrationTest.SECRET).workerThreads(2).build().start();
        ClusterIntegrationTest.await(Duration.ofSeconds(20),
                () -> cluster.peers().stream().anyMatch(PeerStatus::synced), () -> "not synced: " + cluster.peers());

        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        primaryBinder = new PrimaryMeterBinder(primary);
        primaryBinder.bindTo(registry);
        clusterBinder = new ClusterMeterBinder(cluster, Tags.empty(), Duration.ofMillis(20));
        clusterBinder.bindTo(registry);
        new PreExecutorMeterBinder(px, Tags.of("node", "px")).bindTo(registry);

        ScrapeText before = ScrapeText.parse(registry.scrape());
        assertEquals(0, before.value("remora_primary_commits_total"));
        assertEquals(0, before.value("remora_primary_commit_to_effects_seconds_count"));
        assertEquals(1, before.value("remora_cluster_peer_synced{peer=\"px\"}"));
        assertEquals(1, before.value("remora_preexec_synced{node=\"px\"}"));

        List<Transaction> txs = w.transactions();
        for (Transaction tx : txs) {
            assertTrue(cluster.submit(MessageCodec.encode(tx)).admitted());
        }
        consensus.awaitAll(60_000);
        int commits = consensus.commits.size();
        // The pre-executor may still be working through what it was sent (the primary does not wait
        // for it longer than resultWaitTimeout): let it finish, so that its counters stand still.
        ClusterIntegrationTest.await(Duration.ofSeconds(30), () -> px.queueDepth() == 0
                        && px.metrics().received() + px.metrics().rejected() >= executesSent("px"),
                () -> "pre-executor still busy: " + px.metrics().received() + " of " + cluster.peers());
        // Counters are read at scrape time; the per-peer values at the binder's next refresh (20 ms).
        ClusterIntegrationTest.await(Duration.ofSeconds(10), () -> ScrapeText.parse(registry.scrape())
                        .value("remora_cluster_peer_executes_sent_total{peer=\"px\"}") == executesSent("px"),
                () -> "peer counters not refreshed: " + cluster.peers() + " " + cluster.metrics());
        ScrapeText after = ScrapeText.parse(registry.scrape());
        System.out.println(after.text());

        assertEquals(commits, after.value("remora_primary_commits_total"));
        assertEquals(txs.size(), after.sum("remora_primary_transactions_total"), "every outcome counted once");
        assertEquals(primary.metrics().adopted(), after.value("remora_primary_transactions_total{outcome=\"adopted\"}"));
        for (String h : new String[] {"commit_to_effects", "result_wait", "execution", "persistence"}) {
            String name = "remora_primary_" + h + "_seconds";
            assertEquals(commits, after.value(name + "_count"), name);
            assertEquals(commits, after.value(name + "_bucket{le=\"+Inf\"}"), name);
            assertTrue(after.value(name + "_bucket{le=\"10.0\"}") <= commits, name);
        }
        assertEquals(commits - 1, after.value("remora_primary_last_executed_commit"));
        assertEquals(txs.size(), after.value("remora_cluster_submitted_total"));
        assertEquals(txs.size(), after.sum("remora_cluster_submissions_total"));
        assertEquals(cluster.metrics().routed(), after.value("remora_cluster_submissions_total{outcome=\"routed\"}"));
        assertTrue(after.value("remora_cluster_peer_executes_sent_total{peer=\"px\"}") > 0, "per-peer counters");
        assertEquals(px.metrics().received(), after.value("remora_preexec_received_total{node=\"px\"}"));
        assertEquals(px.metrics().executed(), after.value("remora_preexec_executed_total{node=\"px\"}"));
        assertEquals(1, after.value("remora_cluster_peers"));
        double framesIn = after.value("remora_transport_frames_total{direction=\"in\",link=\"cluster\"}");
        assertTrue(framesIn > 0 && framesIn <= cluster.transportMetrics().framesIn(), "cluster frames: " + framesIn);
        assertTrue(after.sum("remora_transport_bytes_total", "link=\"primary\"") > 0, "pre-executor bytes counted");
        assertTrue(after.value("remora_primary_commits_total") > before.value("remora_primary_commits_total"));

        Map<String, String> documented = documentedTypes();
        assertEquals(new TreeSet<>(documented.keySet()),
                new TreeSet<>(after.names().stream().filter(n -> n.startsWith("remora_")).toList()),
                "docs/operations.md's table of Prometheus names must list exactly what the binders export");
        documented.forEach((name, type) -> assertEquals(type, after.types().get(name), "type of " + name + " in the doc"));

        // A pre-executor that leaves takes its per-peer meters with it.
        px.close();
        px = null;
        ClusterIntegrationTest.await(Duration.ofSeconds(15), () -> !registry.scrape().contains("peer=\"px\""),
                () -> "per-peer meters of a departed peer not removed");
    }

    @Test
    void shouldServeAValidatorsMetricsInThreeLines() throws Exception {
        dir = Files.createTempDirectory("remora-metrics");
        Workload w = Workloads.transfers(3, 50).take(40);
        primary = RemoraPrimary.builder().dataDirectory(dir).transactionExecutor(BuiltinEngine.executor("primary"))
                .genesis(w.genesis()).fsyncPolicy(FsyncPolicy.NEVER).workerThreads(1).build();
        try (io.remora.primary.micrometer.PrimaryPrometheus metrics = io.remora.primary.micrometer.PrimaryPrometheus
                .serve(io.remora.transport.micrometer.PrometheusEndpoint.loopback(0), "v1")) {
            metrics.bind(primary);
            primary.start();
            primary.submitCommit(0, w.transactions().subList(0, 20)).get();
            primary.submitCommit(1, w.transactions().subList(20, 40)).get();
            java.net.http.HttpClient http = java.net.http.HttpClient.newHttpClient();
            java.net.http.HttpResponse<String> r = http.send(java.net.http.HttpRequest.newBuilder(
                    java.net.URI.create(metrics.url())).build(), java.net.http.HttpResponse.BodyHandlers.ofString());
            assertEquals(200, r.statusCode());
            ScrapeText s = ScrapeText.parse(r.body());
            assertEquals(2, s.value("remora_primary_commits_total{node=\"v1\"}"), r.body());
            assertEquals(40, s.sum("remora_primary_transactions_total", "node=\"v1\""));
            assertEquals(2, s.value("remora_primary_persistence_seconds_count{node=\"v1\"}"));
            assertTrue(s.names().contains("jvm_memory_used_bytes"), "JVM meters too");
            assertEquals(404, http.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(
                    metrics.url().replace("/metrics", "/"))).build(), java.net.http.HttpResponse.BodyHandlers.ofString())
                    .statusCode());
        }
    }

    private long executesSent(String peer) {
        return cluster.peers().stream().filter(p -> p.nodeId().equals(peer)).mapToLong(PeerStatus::executesSent)
                .sum();
    }

    /** Name → type of each row of docs/operations.md's "Prometheus names" table. */
    static Map<String, String> documentedTypes() throws IOException {
        String doc = Files.readString(OPERATIONS_DOC);
        int from = doc.indexOf("### Prometheus names");
        assertTrue(from >= 0, "docs/operations.md has a \"### Prometheus names\" section");
        int to = doc.indexOf("\n## ", from);
        Matcher m = Pattern.compile("(?m)^\\| `(remora_[a-z0-9_]+)` \\| ([a-z]+) \\|")
                .matcher(doc.substring(from, to < 0 ? doc.length() : to));
        Map<String, String> types = new java.util.TreeMap<>();
        while (m.find()) {
            assertEquals(null, types.put(m.group(1), m.group(2)), "listed twice: " + m.group(1));
        }
        return types;
    }
}
