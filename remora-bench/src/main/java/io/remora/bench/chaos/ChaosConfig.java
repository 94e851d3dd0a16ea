package io.remora.bench.chaos;

import java.nio.file.Path;
import java.time.Duration;

/**
 * What a chaos run does.
 *
 * @param workload           {@code mixed} or {@code transfers} (see {@link ChaosWorkload#KINDS})
 * @param seed               seeds the workload, the consensus order and the fault schedule
 * @param duration           consensus orders commits for this long (then until pre-execution works again, at
 *                           most {@link ChaosRun#SETTLE_MAX_MILLIS} more); then the run drains and checks
 * @param preExecutors       pre-executor processes kept running (a killed one is replaced at once)
 * @param preKills           pre-executor SIGKILLs (each followed by a replacement)
 * @param preStops           pre-executor SIGSTOPs (each SIGCONTed 0.2–4 s later: a zombie with stale state)
 * @param primaryKills       primary SIGKILLs (each followed by a restart on the same data directory)
 * @param rate               offered transactions per second (mean; commit sizes vary)
 * @param commitInterval     one consensus commit per interval
 * @param preExecThreads     worker threads per pre-executor (0: its default)
 * @param out                where the timeline (CSV, PNG) and the summary (markdown) go
 * @param charts             whether to draw the PNG
 */
public record ChaosConfig(String workload, long seed, Duration duration, int preExecutors, int preKills, int preStops,
                          int primaryKills, double rate, Duration commitInterval, int preExecThreads, Path out,
                          boolean charts) {
    public ChaosConfig {
        ChaosWorkload.generator(workload, 0); // validates the kind
        require(duration.toMillis() >= 2000, "duration", duration, ">= 2 s");
        require(preExecutors >= 1 && preExecutors <= 16, "preExecutors", preExecutors, "1..16");
        require(preKills >= 0, "preKills", preKills, ">= 0");
        require(preStops >= 0, "preStops", preStops, ">= 0");
        require(primaryKills >= 0, "primaryKills", primaryKills, ">= 0");
        require(rate > 0 && Double.isFinite(rate), "rate", rate, "> 0 tx/s");
        require(commitInterval.toMillis() >= 5 && commitInterval.toMillis() <= 10_000, "commitInterval", commitInterval,
                "5 ms..10 s");
        require(preExecThreads >= 0, "preExecThreads", preExecThreads, ">= 0");
        java.util.Objects.requireNonNull(out, "out");
    }

    /** Mean transactions per commit (at least 1). */
    int meanCommitSize() {
        return (int) Math.max(1, Math.round(rate * commitInterval.toMillis() / 1000.0));
    }

    private static void require(boolean ok, String name, Object value, String expected) {
        if (!ok) {
            throw new IllegalArgumentException(name + "=" + value + " (expected: " + expected + ")");
        }
    }
}
