package io.remora.bench.harness;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A demo JVM killed with SIGKILL (no shutdown hook runs) leaves no pre-executor process and no key
 * file behind, and the next run deletes the directory it left. Real processes; bounded in time;
 * everything started is killed in {@code finally}.
 */
class NoOrphansTest {
    @Test
    @Timeout(value = 150, unit = TimeUnit.SECONDS)
    void shouldLeaveNoPreExecutorAndNoKeyWhenTheDemoIsKilled(@TempDir Path base) throws Exception {
        String java = ProcessHandle.current().info().command().orElseThrow();
        List<String> cmd = new ArrayList<>(List.of(java, "-Xmx512m", "-XX:TieredStopAtLevel=1",
                "--enable-native-access=ALL-UNNAMED",
                "-Djava.io.tmpdir=" + base, "-cp", System.getProperty("java.class.path"),
                "io.remora.bench.cli.RemoraCli", "demo", "--duration", "120s", "--rate", "100", "--no-fsync"));
        Process demo = new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectOutput(base.resolve("demo.out").toFile()).start();
        List<ProcessHandle> preExecutors = List.of();
        try {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
            while (System.nanoTime() < deadline && demo.isAlive()) {
                preExecutors = demo.descendants().filter(NoOrphansTest::isPreExecutor).toList();
                if (preExecutors.size() == 2 && Files.readString(base.resolve("demo.out")).contains("tx/s")) {
                    break; // both started, and load is flowing (so both were given their keys)
                }
                Thread.sleep(200);
            }
            assertEquals(2, preExecutors.size(), "pre-executors of the demo: " + Files.readString(base.resolve("demo.out")));
            Path run = onlyRunDirectory(base);
            assertEquals(Set.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE,
                    PosixFilePermission.OWNER_EXECUTE), Files.getPosixFilePermissions(run), "run directory permissions");
            assertEquals(List.of(), keyFiles(base), "no key or secret file while the run lives");

            demo.destroyForcibly(); // SIGKILL: no hook runs
            assertTrue(demo.waitFor(30, TimeUnit.SECONDS));
            for (ProcessHandle p : preExecutors) {
                p.onExit().get(60, TimeUnit.SECONDS);
                assertFalse(p.isAlive(), "pre-executor " + p.pid() + " outlived the demo");
            }
            assertEquals(List.of(), keyFiles(base), "no key or secret file after the kill");
            assertTrue(Files.exists(run), "the killed run's directory is left (no hook ran)");
            // The next run deletes what the dead one left, and only that.
            Path other = Files.createDirectory(base.resolve("remora-run-not-ours"));
            try (TempDirectory next = new TempDirectory(base, "remora-run-")) {
                assertFalse(Files.exists(run), "abandoned run directory not swept");
                assertTrue(Files.exists(other), "a directory without an owner record was deleted");
                assertTrue(Files.exists(next.path()));
                assertEquals(0, TempDirectory.sweepAbandoned(base, "remora-run-"), "a live owner's directory swept");
            }
        } finally {
            demo.destroyForcibly();
            for (ProcessHandle p : preExecutors) {
                p.destroyForcibly();
            }
        }
    }

    private static boolean isPreExecutor(ProcessHandle h) {
        return ProcessTrees.arguments(h).contains("io.remora.preexec.PreExecutorMain");
    }

    private static Path onlyRunDirectory(Path base) throws IOException {
        return ProcessTrees.onlyDirectory(base, "remora-run-");
    }

    private static List<Path> keyFiles(Path base) throws IOException {
        try (Stream<Path> s = Files.walk(base)) {
            return s.filter(p -> {
                String n = p.getFileName().toString();
                return n.endsWith(".key") || n.contains("secret");
            }).toList();
        }
    }
}
