package io.remora.bench.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code remora bench --warmup-pass}: each rate runs once unrecorded before the measured points, its
 * digest checked, and only the measured points reach the results. The primary-only configuration
 * (no processes), two short rates; asserts nothing about performance.
 */
class BenchWarmupPassTest {
    @TempDir
    Path dir;

    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void shouldRunEachRateOnceUnrecordedBeforeTheMeasuredPoints() throws Exception {
        Path out = dir.resolve("out");
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        PrintStream saved = System.out;
        int status;
        System.setOut(new PrintStream(buf, true, StandardCharsets.UTF_8));
        try {
            status = RemoraCli.execute("bench", "--workloads", "transfers", "--configs", "primary", "--rates", "200,400",
                    "--duration", "1s", "--warmup", "200ms", "--warmup-pass", "500ms", "--no-charts", "--out", out.toString());
        } finally {
            System.setOut(saved);
        }
        String console = buf.toString(StandardCharsets.UTF_8);
        assertEquals(0, status, console);
        List<String> lines = console.lines().toList();
        List<String> pass = lines.stream().filter(l -> l.startsWith("[warm-up pass] ")).toList();
        assertEquals(2, pass.size(), console);
        assertTrue(pass.stream().allMatch(l -> l.contains("digest ok")), console);
        int firstMeasured = lines.indexOf(lines.stream().filter(l -> l.startsWith("[1/2] ")).findFirst().orElseThrow());
        assertTrue(lines.indexOf(pass.get(1)) < firstMeasured, "the pass comes first: " + console);
        assertTrue(console.contains("; warm-up pass: 0 different"), console);
        List<String> csv = Files.readAllLines(out.resolve("results.csv"));
        assertEquals(3, csv.size(), "a header and the two measured points only: " + csv);
    }
}
