package io.remora.bench.harness;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** CSV, JSON and markdown output; the max-sustainable table; the charts render. */
class ResultWriterTest {
    @TempDir
    Path dir;

    @Test
    void shouldWriteOneCsvRowPerPointWithEveryColumnAndQuoteCommas() {
        PointResult a = LatencySummaryTest.point(1000, 1000, 4, false);
        String csv = ResultWriter.csv(List.of(a, withNote(a, "saturated, \"stopped\"")));
        List<String> lines = csv.lines().toList();
        assertEquals(3, lines.size());
        assertEquals(String.join(",", ResultWriter.COLUMNS), lines.get(0));
        assertTrue(lines.get(1).startsWith("transfers,remora-2,2,1000.000,1000.000,100,300,1.000,2.000,4.000,5.000,"), lines.get(1));
        assertTrue(lines.get(1).contains(",0.25/0.50,500.000,1250.000,"), lines.get(1));
        assertTrue(lines.get(1).endsWith(",true,sustained,"), lines.get(1));
        assertTrue(lines.get(2).endsWith(",\"saturated, \"\"stopped\"\"\""), lines.get(2));
    }

    @Test
    void shouldWriteValidJsonWithNullForNaN() {
        PointResult a = LatencySummaryTest.point(1000, 1000, 4, false);
        PointResult empty = new PointResult("fib-1m", "sequential", 0, 500, 0, 0, 0, LatencySummary.EMPTY,
                LatencySummary.EMPTY, 0, 0, 0, Double.NaN, List.of(), true, false, "", "", PointResult.Breakdown.NONE,
                "line\nbreak \"q\"");
        String json = ResultWriter.json(List.of(a, empty), Map.of("machine", "2 cores"));
        assertTrue(json.contains("\"machine\": \"2 cores\""), json);
        assertTrue(json.contains("\"commit_p99_ms\": 4.000"), json);
        assertTrue(json.contains("\"commit_p50_ms\": null"), json);
        assertTrue(json.contains("\"note\": \"line\\nbreak \\\"q\\\"\""), json);
        assertTrue(json.contains("\"sustainable\": true"), json);
        assertEquals(json.chars().filter(ch -> ch == '{').count(), json.chars().filter(ch -> ch == '}').count());
    }

    @Test
    void shouldReportTheHighestSustainedRatePerConfiguration() {
        List<PointResult> pts = List.of(
                LatencySummaryTest.point(1000, 1000, 4, false),
                LatencySummaryTest.point(2000, 2000, 12, false),
                LatencySummaryTest.point(3000, 2500, 80, true));
        assertEquals(Map.of("transfers", Map.of("remora-2", 2000.0)), ResultWriter.maxSustainable(pts));
        String md = ResultWriter.maxThroughputTable(pts);
        assertTrue(md.contains("| transfers | 2000 |"), md);
    }

    @Test
    void shouldDrawATimeline() throws Exception {
        Path png = dir.resolve("timeline.png");
        Charts.timeline(List.of(new double[] {1, 600, 250, Double.NaN, 10, 1}, new double[] {2, 600, 590, 0.97, 0, 2}),
                "transfers remora-2-auto", png);
        byte[] bytes = Files.readAllBytes(png);
        assertEquals((byte) 0x89, bytes[0]);
        Charts.timeline(List.of(), "empty", dir.resolve("none.png"));
        assertTrue(Files.notExists(dir.resolve("none.png")), "no samples, no chart");
    }

    @Test
    void shouldNotCountAPassAboveAFailedLowerRate() {
        List<PointResult> pts = List.of(
                LatencySummaryTest.point(4000, 4000, 9, false), // passes, but 3000 failed
                LatencySummaryTest.point(1000, 1000, 4, false),
                LatencySummaryTest.point(3000, 3000, 35, false),
                LatencySummaryTest.point(2000, 2000, 12, false));
        assertEquals(Map.of("transfers", Map.of("remora-2", 2000.0)), ResultWriter.maxSustainable(pts));
        List<PointResult> lowestFails = List.of(LatencySummaryTest.point(1000, 1000, 40, false),
                LatencySummaryTest.point(2000, 2000, 5, false));
        assertEquals(Map.of("transfers", Map.of("remora-2", 0.0)), ResultWriter.maxSustainable(lowestFails));
        assertTrue(ResultWriter.maxThroughputTable(lowestFails).contains("< lowest rate"));
    }

    @Test
    void shouldWriteAllFilesAndCharts() throws Exception {
        List<PointResult> pts = List.of(LatencySummaryTest.point(1000, 1000, 4, false),
                LatencySummaryTest.point(2000, 1990, 9, false));
        ResultWriter.writeAll(dir, pts, Map.of("k", "v"));
        List<Path> charts = Charts.writeAll(dir, pts);
        for (String f : List.of("results.csv", "results.json", "results.md", "latency-transfers.png", "max-throughput.png")) {
            assertTrue(Files.size(dir.resolve(f)) > 0, f);
        }
        assertEquals(2, charts.size());
        byte[] png = Files.readAllBytes(dir.resolve("max-throughput.png"));
        assertEquals((byte) 0x89, png[0]);
        assertEquals('P', png[1]);
    }

    private static PointResult withNote(PointResult p, String note) {
        return new PointResult(p.workload(), p.configuration(), p.preExecutors(), p.offeredRate(), p.throughput(),
                p.transactions(), p.commits(), p.commitToEffects(), p.submitToEffects(), p.adoptRatio(), p.adopted(),
                p.reexecuted(), p.cpuPrimary(), p.cpuPreExecutors(), p.saturated(), p.digestMatch(), p.primaryDigest(),
                p.referenceDigest(), p.breakdown(), note);
    }
}
