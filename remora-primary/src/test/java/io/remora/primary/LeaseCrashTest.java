package io.remora.primary;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.remora.core.Transaction;
import io.remora.core.testkit.Seeds;
import io.remora.core.workload.Workload;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A primary SIGKILLed while it holds a lease (leases forced, a hot-counter stream in shuffled
 * order), restarted on its data directory, again and again: two pre-executor processes outlive
 * every primary and reconnect to the next, so a delegate comes back holding a lease the new
 * primary never granted. A lease is not durable: every commit published by every primary has the
 * reference's state digest and effects, and the last one's state is the reference's final state
 * (each transaction applied exactly once, repeated ones included).
 */
class LeaseCrashTest {
    private static final int KILLS = 3;

    @TempDir
    Path tmp;

    @Test
    @Timeout(300)
    void shouldMatchTheReferenceWhenThePrimaryIsKilledDuringLeases() throws Exception {
        long seed = Seeds.seed("LeaseCrashTest");
        String label = Seeds.replay(seed);
        Random rnd = new Random(seed);
        Workload w = LeaseCrashChild.workload(seed);
        List<List<Transaction>> commits = LeaseCrashChild.commits(seed, w);
        Reference ref = Reference.run(w, commits, null);
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        List<PreExecutorProcess> pxs = new ArrayList<>();
        int killsDuringLease = 0;
        try {
            for (int i = 0; i < 2; i++) {
                pxs.add(PreExecutorProcess.start("px-" + i, port, ClusterIntegrationTest.SECRET, tmp.resolve("logs")));
            }
            for (int round = 0; ; round++) {
                boolean kill = round < KILLS;
                Process child = start(tmp.resolve("data"), seed, port, round);
                try {
                    BufferedReader in = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8));
                    int extra = rnd.nextInt(3);
                    int leased = 0;
                    boolean done = false;
                    String line;
                    while ((line = in.readLine()) != null) {
                        String[] f = line.split(" ");
                        if (f[0].equals("started")) {
                            long last = Long.parseLong(f[1].substring("last=".length()));
                            if (last >= 0) {
                                assertEquals(ref.digestAfter.get((int) last).toHex(), f[2].substring("digest=".length()),
                                        label + ": digest recovered at " + last);
                            }
                        } else if (f[0].equals("committed")) {
                            int c = Integer.parseInt(f[1]);
                            assertEquals(ref.digestAfter.get(c).toHex(), f[2].substring("digest=".length()),
                                    label + ": state after commit " + c + " (round " + round + ")");
                            assertEquals(CrashChild.hash(ref.effects.get(c)), f[3].substring("effects=".length()),
                                    label + ": effects of commit " + c + " (round " + round + ")");
                            if (f[4].equals("lease=1") && kill && ++leased > extra) {
                                break; // kill it now: a lease holds
                            }
                        } else if (f[0].equals("done")) {
                            assertEquals(ref.finalDigest().toHex(), f[1].substring("digest=".length()), label + ": final");
                            done = true;
                            break;
                        }
                    }
                    if (done) {
                        assertEquals(0, child.waitFor(60, TimeUnit.SECONDS) ? child.exitValue() : -1, label + ": exit");
                        break;
                    }
                    if (line == null) {
                        throw new AssertionError(label + ": the primary exited before finishing: "
                                + java.nio.file.Files.readString(tmp.resolve("stderr-" + round + ".txt")));
                    }
                    killsDuringLease++;
                } finally {
                    child.destroyForcibly();
                    child.waitFor(30, TimeUnit.SECONDS);
                }
                assertTrue(round < KILLS + 1, label + ": did not finish after " + KILLS + " kills");
            }
        } finally {
            for (PreExecutorProcess px : pxs) {
                px.close();
            }
        }
        assertEquals(KILLS, killsDuringLease, label + ": every kill while a lease held");
    }

    private static Process start(Path data, long seed, int port, int round) throws IOException {
        String java = ProcessHandle.current().info().command().orElseThrow();
        List<String> cmd = new ArrayList<>(List.of(java, "-XX:+UseSerialGC",
                "--enable-native-access=ALL-UNNAMED",
                "-cp", System.getProperty("java.class.path"), LeaseCrashChild.class.getName(),
                data.toString(), Long.toString(seed), Integer.toString(port)));
        return new ProcessBuilder(cmd).redirectError(data.resolveSibling("stderr-" + round + ".txt").toFile()).start();
    }
}
