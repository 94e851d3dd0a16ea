package io.remora.bench.chaos;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.remora.bench.harness.ProcessTrees;
import io.remora.bench.harness.TempDirectory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A chaos driver killed with SIGKILL (no hook runs) leaves nothing running: not the primary
 * child, not the pre-executors, not a SIGSTOPped pre-executor (its SIGCONT helper continues it and
 * it sees its standard input end), not the helpers; and the next run deletes the directory it left.
 */
class ChaosNoOrphansTest {
    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void shouldLeaveNoProcessWhenTheDriverIsKilled(@TempDir Path base) throws Exception {
        String java = ProcessHandle.current().info().command().orElseThrow();
        List<String> cmd = new ArrayList<>(List.of(java, "-Xmx512m", "-XX:TieredStopAtLevel=1",
                "--enable-native-access=ALL-UNNAMED", "-Djava.io.tmpdir=" + base,
                "-cp", System.getProperty("java.class.path"), "io.remora.bench.cli.RemoraCli", "chaos",
                "--duration", "30s", "--pre-kills", "0", "--primary-kills", "0", "--pre-stops", "40",
                "--rate", "100", "--seed", "7", "--out", base.resolve("out").toString()));
        Process driver = new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectOutput(base.resolve("driver.out").toFile()).start();
        List<ProcessHandle> children = List.of();
        try {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (System.nanoTime() < deadline && driver.isAlive()
                    && !Files.readString(base.resolve("driver.out")).contains("  5.0 s")) {
                Thread.sleep(100);
            }
            children = driver.descendants().toList();
            String out = Files.readString(base.resolve("driver.out"));
            assertTrue(out.contains("  5.0 s"), "the run got going: " + out);
            assertTrue(children.stream().anyMatch(p -> commandLine(p).contains("PrimaryChild")), "primary child running");
            assertEquals(2, children.stream().filter(p -> commandLine(p).contains("PreExecutorMain")).count(),
                    "pre-executors running: " + children.stream().map(ChaosNoOrphansTest::commandLine).toList());
            Path runDir = onlyRunDirectory(base);

            driver.destroyForcibly(); // SIGKILL: no hook runs
            assertTrue(driver.waitFor(30, TimeUnit.SECONDS));
            for (ProcessHandle p : children) {
                p.onExit().get(60, TimeUnit.SECONDS);
                assertFalse(p.isAlive(), p.pid() + " outlived the driver: " + commandLine(p));
            }
            assertTrue(Files.exists(runDir), "the killed run's directory is left (no hook ran)");
            try (TempDirectory next = new TempDirectory(base, "remora-chaos-")) {
                assertFalse(Files.exists(runDir), "the next run deleted the dead one's directory");
            }
        } finally {
            driver.destroyForcibly();
            for (ProcessHandle p : children) {
                p.destroyForcibly();
            }
        }
    }

    private static String commandLine(ProcessHandle p) {
        return String.join(" ", ProcessTrees.arguments(p));
    }

    private static Path onlyRunDirectory(Path base) throws Exception {
        return ProcessTrees.onlyDirectory(base, "remora-chaos-");
    }
}
