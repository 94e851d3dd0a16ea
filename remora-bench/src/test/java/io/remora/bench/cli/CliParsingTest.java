package io.remora.bench.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.remora.bench.harness.Mode;
import io.remora.bench.harness.WorkloadSpec;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class CliParsingTest {
    @Test
    void shouldParseDurations() {
        assertEquals(Duration.ofNanos(200_000), DurationConverter.parse("200us"));
        assertEquals(Duration.ofNanos(1_500), DurationConverter.parse("1.5\u00b5s"));
        assertEquals(Duration.ofMillis(300), DurationConverter.parse("300ms"));
        assertEquals(Duration.ofSeconds(5), DurationConverter.parse("5s"));
        assertEquals(Duration.ofMillis(1500), DurationConverter.parse("1.5s"));
        assertEquals(Duration.ofMinutes(2), DurationConverter.parse("2m"));
        assertEquals(Duration.ofSeconds(7), DurationConverter.parse("PT7S"));
        assertThrows(CommandLine.TypeConversionException.class, () -> DurationConverter.parse("soon"));
    }

    @Test
    void shouldParseConfigurations() {
        assertArrayEquals(new int[] {Mode.SEQUENTIAL.ordinal(), 0}, BenchCommand.parseConfig("sequential"));
        assertArrayEquals(new int[] {Mode.PRIMARY.ordinal(), 0}, BenchCommand.parseConfig("remora-0"));
        assertArrayEquals(new int[] {Mode.REMORA.ordinal(), 3}, BenchCommand.parseConfig("Remora-3"));
        assertThrows(IllegalArgumentException.class, () -> BenchCommand.parseConfig("remora-x"));
        assertArrayEquals(new int[] {Mode.INJECTOR.ordinal(), 2}, BenchCommand.parseConfig("injector-2"));
        assertThrows(IllegalArgumentException.class, () -> BenchCommand.parseConfig("injector-0"));
    }

    @Test
    void shouldParseWorkloadsWithoutGeneratingThem() {
        assertEquals("fib-100k", WorkloadSpec.parse("FIB-100k").name());
        // Every workload of "--workloads all" parses (fib-1m once did not).
        for (String w : BenchCommand.ALL_WORKLOADS.split(",")) {
            assertEquals(w, WorkloadSpec.parse(w).name());
        }
        assertEquals("counters-0.9", WorkloadSpec.parse("counters-0.9").name());
        assertThrows(IllegalArgumentException.class, () -> WorkloadSpec.parse("counters-x"));
        assertThrows(IllegalArgumentException.class, () -> WorkloadSpec.parse("fib-"));
        assertThrows(IllegalArgumentException.class, () -> WorkloadSpec.parse("nope"));
        assertEquals("tpcc-4", WorkloadSpec.parse("TPCC-4").name());
        assertEquals("ycsb-b-1m", WorkloadSpec.parse("ycsb-b-1m").name());
        for (String bad : new String[] {"tpcc-0", "tpcc-", "tpcc-1001", "ycsb-a-0", "ycsb-c-10", "ycsb-a-x", "fib--5",
                "fib-2000m", "ycsb-b-99999999999999999999"}) {
            assertThrows(IllegalArgumentException.class, () -> WorkloadSpec.parse(bad), bad);
        }
        assertEquals("tpcc(warehouses=4, items=100, customers=30)", WorkloadSpec.parse("tpcc-4").generator(1).name());
        assertEquals("ycsbB(records=2000)", WorkloadSpec.parse("ycsb-b-2k").generator(1).name());
    }

    @Test
    void shouldNameTheBadOptionAndExitWith2() {
        String err = captureErr(() -> assertEquals(2, RemoraCli.execute("demo", "--rate=-5")));
        org.junit.jupiter.api.Assertions.assertTrue(err.contains("--rate=-5.0 (expected: > 0 tx/s)"), err);
        err = captureErr(() -> assertEquals(2, RemoraCli.execute("demo", "--metrics-port", "70000")));
        org.junit.jupiter.api.Assertions.assertTrue(err.contains("--metrics-port=70000 (expected: 0..65535"), err);
        err = captureErr(() -> assertEquals(2, RemoraCli.execute("dashboard", "--url", "http://127.0.0.1:1/metrics",
                "--window", "0s")));
        org.junit.jupiter.api.Assertions.assertTrue(err.contains("--window=PT0S (expected: >= --interval=PT1S > 0)"), err);
        err = captureErr(() -> assertEquals(2, RemoraCli.execute("demo", "--pre-executors", "-1")));
        org.junit.jupiter.api.Assertions.assertTrue(err.contains("--pre-executors=-1 (expected: >= 0)"), err);
        err = captureErr(() -> assertEquals(2, RemoraCli.execute("bench", "--rates", "100,0", "--out", "target/never")));
        org.junit.jupiter.api.Assertions.assertTrue(err.contains("--rates=0.0 (expected: each > 0 tx/s)"), err);
        err = captureErr(() -> assertEquals(2, RemoraCli.execute("chaos", "--preexecutors", "0", "--out", "target/never")));
        org.junit.jupiter.api.Assertions.assertTrue(err.contains("--preexecutors=0 (expected: 1..16)"), err);
        err = captureErr(() -> assertEquals(2, RemoraCli.execute("chaos", "--workload", "fib", "--out", "target/never")));
        org.junit.jupiter.api.Assertions.assertTrue(err.contains("--workload=fib (expected: one of [mixed, transfers])"), err);
        err = captureErr(() -> assertEquals(2, RemoraCli.execute("bench", "--chaos", "--duration", "1s", "--out", "target/never")));
        org.junit.jupiter.api.Assertions.assertTrue(err.contains("--duration=PT1S (expected: >= 2s)"), err);
        err = captureErr(() -> assertEquals(2, RemoraCli.execute("demo", "--commit-interval", "0ms")));
        org.junit.jupiter.api.Assertions.assertTrue(err.contains("--commit-interval=PT0S (expected: > 0)"), err);
        err = captureErr(() -> assertEquals(2, RemoraCli.execute("bench", "--duration", "5s", "--replace-at", "5s",
                "--out", "target/never")));
        org.junit.jupiter.api.Assertions.assertTrue(err.contains("--replace-at=PT5S (expected: 0 <= T < --duration)"), err);
        err = captureErr(() -> assertEquals(2, RemoraCli.execute("bench", "--preexec-lazy-join", "maybe",
                "--out", "target/never")));
        org.junit.jupiter.api.Assertions.assertTrue(err.contains("--preexec-lazy-join=maybe (expected: on or off)"), err);
        err = captureErr(() -> assertEquals(2, RemoraCli.execute("bench", "--preexec-warmup", "-2", "--out", "target/never")));
        org.junit.jupiter.api.Assertions.assertTrue(err.contains("--preexec-warmup=-2 (expected: >= -1)"), err);
        err = captureErr(() -> assertEquals(2, RemoraCli.execute("bench", "--steps", "500:10s,2000", "--out", "target/never")));
        org.junit.jupiter.api.Assertions.assertTrue(err.contains("--steps: '2000' (expected: RATE:DURATION"), err);
        err = captureErr(() -> assertEquals(2, RemoraCli.execute("bench", "--steps", "500:10s", "--replace-at", "10s",
                "--out", "target/never")));
        org.junit.jupiter.api.Assertions.assertTrue(err.contains("--replace-at=PT10S (expected: 0 <= T < --duration)"), err);
        err = captureErr(() -> assertEquals(2, RemoraCli.execute("bench", "--lease", "--lease-max-objects", "0",
                "--out", "target/never")));
        org.junit.jupiter.api.Assertions.assertTrue(err.contains("--lease-max-objects=0 (expected: 1..4096)"), err);
        err = captureErr(() -> assertEquals(2, RemoraCli.execute("bench", "--warmup-pass", "-1s", "--out", "target/never")));
        org.junit.jupiter.api.Assertions.assertTrue(err.contains("--warmup-pass=PT-1S (expected: >= 0)"), err);
        err = captureErr(() -> assertEquals(2, RemoraCli.execute("bench", "--warmup-pass", "5s", "--autoscale",
                "--out", "target/never")));
        org.junit.jupiter.api.Assertions.assertTrue(err.contains(
                "--warmup-pass=PT5S (expected: 0 with --steps, --replace-at or --autoscale)"), err);
    }

    @Test
    void shouldPrintTheVersionForEveryCommandAndWholeSummaries() {
        for (String[] args : new String[][] {{"-V"}, {"demo", "-V"}, {"bench", "--version"}, {"chaos", "-V"}, {"dashboard", "-V"}, {"model", "-V"}}) {
            String out = captureOut(() -> assertEquals(0, RemoraCli.execute(args)));
            org.junit.jupiter.api.Assertions.assertTrue(out.startsWith("remora "), String.join(" ", args) + ": " + out);
        }
        // Each command's summary is a whole sentence (picocli wraps it; compare without the wrapping).
        String help = captureOut(() -> assertEquals(0, RemoraCli.execute("--help"))).replaceAll("\\s+", " ");
        org.junit.jupiter.api.Assertions.assertTrue(help.contains(
                "demo Runs the embedded demo and checks its state against the sequential reference. bench"), help);
        org.junit.jupiter.api.Assertions.assertTrue(help.contains(
                "bench Runs latency/throughput sweeps against the baselines and writes tables and charts. chaos"), help);
        org.junit.jupiter.api.Assertions.assertTrue(help.contains("chaos Kills, stops and restarts real pre-executors and"
                + " the real primary; checks every effect. dashboard"), help);
        org.junit.jupiter.api.Assertions.assertTrue(help.contains("dashboard Records scrapes of a running demo and renders"
                + " the Grafana dashboard's panels as a PNG. model"), help);
        org.junit.jupiter.api.Assertions.assertTrue(help.contains("model Predicts throughput for 1..64 pre-executors from"
                + " costs a bench sweep measured. help"), help);
    }

    @Test
    void shouldHaveHelpTextsThatPicocliCanFormat() {
        // picocli renders help texts with String.format: a bare '%' (e.g. "within 10% of") makes it
        // warn on stderr and print the raw text. Every text, as written in the annotations of every
        // command and mixin class, must format.
        picocli.CommandLine root = new picocli.CommandLine(new RemoraCli());
        java.util.List<picocli.CommandLine.Model.CommandSpec> specs = new java.util.ArrayList<>();
        specs.add(root.getCommandSpec());
        root.getSubcommands().values().forEach(c -> specs.add(c.getCommandSpec()));
        java.util.Set<Class<?>> classes = new java.util.LinkedHashSet<>();
        for (picocli.CommandLine.Model.CommandSpec spec : specs) {
            classes.add(spec.userObject().getClass());
            spec.mixins().values().forEach(m -> classes.add(m.userObject().getClass()));
        }
        int texts = 0;
        for (Class<?> type : classes) {
            java.util.List<String> all = new java.util.ArrayList<>();
            picocli.CommandLine.Command command = type.getAnnotation(picocli.CommandLine.Command.class);
            if (command != null) {
                all.addAll(java.util.List.of(command.description()));
                all.addAll(java.util.List.of(command.header()));
            }
            for (java.lang.reflect.Field f : type.getDeclaredFields()) {
                picocli.CommandLine.Option o = f.getAnnotation(picocli.CommandLine.Option.class);
                if (o != null) {
                    all.addAll(java.util.List.of(o.description()));
                }
            }
            for (String text : all) {
                texts++;
                String t = text.replace("${DEFAULT-VALUE}", "x").replace("${COMPLETION-CANDIDATES}", "x");
                org.junit.jupiter.api.Assertions.assertDoesNotThrow(() -> String.format(t), type.getSimpleName() + ": " + text);
            }
        }
        org.junit.jupiter.api.Assertions.assertTrue(texts > 50, "texts checked: " + texts);
    }

    private static String captureOut(Runnable r) {
        return capture(r, System.out, System::setOut);
    }

    private static String captureErr(Runnable r) {
        return capture(r, System.err, System::setErr);
    }

    /** What {@code r} prints to the stream {@code set} replaces ({@code saved} is put back after). */
    private static String capture(Runnable r, java.io.PrintStream saved, java.util.function.Consumer<java.io.PrintStream> set) {
        java.io.ByteArrayOutputStream buf = new java.io.ByteArrayOutputStream();
        set.accept(new java.io.PrintStream(buf, true, java.nio.charset.StandardCharsets.UTF_8));
        try {
            r.run();
        } finally {
            set.accept(saved);
        }
        return buf.toString(java.nio.charset.StandardCharsets.UTF_8);
    }
}
