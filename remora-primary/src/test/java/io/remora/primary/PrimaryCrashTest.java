package io.remora.primary;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.remora.core.Transaction;
import io.remora.core.store.StateDigest;
import io.remora.core.testkit.Seeds;
import io.remora.core.workload.Workload;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Invariant 2 (exactly once, across crashes): a child JVM running the primary ({@link CrashChild})
 * is killed with SIGKILL at random points of a seeded commit stream (carrying duplicated
 * transactions; commits persisted in chunks of a few positions, so kills also land between two
 * chunks of one commit), restarted on the same data directory and fed the stream again from
 * {@code lastExecutedCommit() + 1}. After every restart
 * the recovered state digest must be the reference's after the recovered commit, the last commit
 * re-submitted must be acknowledged with the reference's effects, and the final digest must be
 * the reference's.
 */
class PrimaryCrashTest {
    static final int ROUNDS = 4;
    static final int KILLS_PER_ROUND = 5;

    /** Kill delays need not replay: the checks hold wherever the kill lands. */
    private static final Random RANDOM_DELAY = new Random();

    @TempDir
    Path tmp;

    @Test
    void shouldRecoverTheReferenceStateAfterEveryKill() throws Exception {
        long seed = Seeds.seed("PrimaryCrashTest");
        Random rnd = new Random(seed);
        int kills = 0;
        for (int round = 0; round < ROUNDS; round++) {
            long streamSeed = rnd.nextLong();
            FsyncPolicy fsync = round % 2 == 0 ? FsyncPolicy.EVERY_COMMIT : FsyncPolicy.NEVER;
            kills += runRound(streamSeed, fsync, rnd, tmp.resolve("round-" + round),
                    "round " + round + " (" + fsync + ") of " + Seeds.replay(seed));
        }
        assertTrue(kills >= ROUNDS * KILLS_PER_ROUND, "only " + kills + " kills; " + Seeds.replay(seed));
    }

    private int runRound(long streamSeed, FsyncPolicy fsync, Random rnd, Path dir, String label) throws Exception {
        Workload w = CrashChild.workload(streamSeed);
        List<List<Transaction>> commits = CrashChild.commits(streamSeed, w);
        Reference ref = Reference.run(w, commits, null);
        String genesisDigest = genesisDigest(w);
        Files.createDirectories(dir);
        int kills = 0;
        long lastSeen = -1;
        while (true) {
            // Kill after the child reports commit `target` (-1: right after it reports its start,
            // -2: after a random delay, often during JVM start, RocksDB recovery or genesis).
            boolean kill = kills < KILLS_PER_ROUND;
            long target = !kill ? Long.MAX_VALUE
                    : rnd.nextInt(6) == 0 ? -2
                    : lastSeen + rnd.nextInt(Math.max(1, (commits.size() - (int) lastSeen) / (KILLS_PER_ROUND - kills + 1)));
            Process child = start(dir, streamSeed, fsync);
            try {
                Outcome o = follow(child, dir, target, ref, genesisDigest, label);
                if (o.done) {
                    assertEquals(ref.finalDigest().toHex(), o.finalDigest, label + ": final digest");
                    assertEquals(0, child.waitFor(), label + ": child exit code");
                    return kills;
                }
                child.destroyForcibly();
                child.waitFor(30, TimeUnit.SECONDS);
                kills++;
                System.out.println(label + ": killed after target " + target + ", last reported " + o.lastCommitted
                        + " of " + commits.size());
                lastSeen = Math.max(lastSeen, o.lastCommitted);
            } finally {
                if (child.isAlive()) {
                    child.destroyForcibly();
                    child.waitFor(30, TimeUnit.SECONDS);
                }
            }
        }
    }

    private static String genesisDigest(Workload w) {
        StateDigest d = new StateDigest();
        w.genesis().forEach(d::add);
        return d.digest().toHex();
    }

    private record Outcome(boolean done, long lastCommitted, String finalDigest) {
    }

    /** Reads the child's reports, checking each, until it has reported commit {@code target} (or is done). */
    private Outcome follow(Process child, Path dir, long target, Reference ref, String genesisDigest, String label)
            throws IOException {
        if (target == -2) {
            try {
                Thread.sleep(50 + RANDOM_DELAY.nextInt(400));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return new Outcome(false, -1, null);
        }
        BufferedReader in = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8));
        long last = -1;
        String line;
        while ((line = in.readLine()) != null) {
            String[] f = line.split(" ");
            switch (f[0]) {
                case "started" -> {
                    long recovered = Long.parseLong(f[1].substring("last=".length()));
                    String expected = recovered < 0 ? genesisDigest : ref.digestAfter.get((int) recovered).toHex();
                    assertEquals(expected, f[2].substring("digest=".length()), label + ": digest recovered at " + recovered);
                    last = recovered;
                    if (target == -1 || recovered >= target) {
                        return new Outcome(false, last, null);
                    }
                }
                case "replayed" -> {
                    int k = Integer.parseInt(f[1]);
                    try {
                        assertEquals(CrashChild.hash(ref.effects.get(k)), f[2], label + ": effects of re-submitted commit " + k);
                    } catch (Exception e) {
                        throw new AssertionError(e);
                    }
                }
                case "committed" -> {
                    last = Long.parseLong(f[1]);
                    if (f.length >= 4) {
                        // Each commit checked as it is published: a divergence is pinned to its commit.
                        assertEquals(ref.digestAfter.get((int) last).toHex(), f[2].substring("digest=".length()),
                                label + ": state digest after commit " + last);
                        try {
                            assertEquals(CrashChild.hash(ref.effects.get((int) last)), f[3].substring("effects=".length()),
                                    label + ": effects of commit " + last);
                        } catch (Exception e) {
                            throw new AssertionError(e);
                        }
                    }
                    if (last >= target) {
                        return new Outcome(false, last, null);
                    }
                }
                case "done" -> {
                    return new Outcome(true, last, f[1].substring("digest=".length()));
                }
                default -> throw new AssertionError(label + ": unexpected child output " + line);
            }
        }
        throw new AssertionError(label + ": child exited without finishing (exit " + waitExit(child) + "): "
                + stderr(dir));
    }

    private static int waitExit(Process p) {
        try {
            return p.waitFor(30, TimeUnit.SECONDS) ? p.exitValue() : -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    private Process start(Path dir, long seed, FsyncPolicy fsync) throws IOException {
        String java = ProcessHandle.current().info().command().orElseThrow();
        List<String> cmd = new ArrayList<>(List.of(java, "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
                "--enable-native-access=ALL-UNNAMED",
                "-cp", System.getProperty("java.class.path"), CrashChild.class.getName(),
                dir.resolve("data").toString(), Long.toString(seed), fsync.name()));
        return new ProcessBuilder(cmd).redirectError(dir.resolve("stderr.txt").toFile()).start();
    }

    private static String stderr(Path dir) {
        try {
            return Files.readString(dir.resolve("stderr.txt"));
        } catch (IOException e) {
            return "(no stderr: " + e + ")";
        }
    }
}
