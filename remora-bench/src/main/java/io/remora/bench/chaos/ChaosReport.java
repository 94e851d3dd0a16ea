package io.remora.bench.chaos;

import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * What a chaos run did and found.
 *
 * @param config               the run's configuration
 * @param commits              commits consensus ordered (all checked)
 * @param positions            transactions in them, copies included
 * @param distinct             distinct generated transactions
 * @param copies               copies consensus ordered again (must execute once)
 * @param orderedMillis        how long consensus ordered: the duration, plus the time until the last
 *                             incarnation adopted a result (at most {@link ChaosRun#SETTLE_MAX_MILLIS})
 * @param preKills             pre-executor SIGKILLs done (each replaced)
 * @param preStops             pre-executor SIGSTOP/SIGCONT pairs done
 * @param primaryKills         primary SIGKILLs done (each restarted on its data directory)
 * @param primaryStarts        primary incarnations started
 * @param replayedDeliveries   commits delivered as replayed (re-submitted after a restart)
 * @param recoveredUndelivered commits durable at a crash whose effects first reached the host as replayed
 * @param adopted              transactions whose pre-executed result the primary adopted (sampled counters)
 * @param executed             transactions the primary executed in all (sampled counters, all incarnations)
 * @param readyIncarnations    primary incarnations that recovered and reported ready (the others were killed first)
 * @param adoptionResumedMillis for each incarnation that adopted anything: from its ready report to the
 *                             first sample with an adoption (pre-executors reconnected, synced, routed)
 * @param elapsedMillis        wall time of the run, from the first start to the final check
 * @param violations           broken invariants (empty: the run passed)
 * @param files                files written (timeline, chart, summary)
 */
public record ChaosReport(ChaosConfig config, int commits, long positions, long distinct, long copies,
                          long orderedMillis, int preKills,
                          int preStops, int primaryKills, int primaryStarts, int replayedDeliveries,
                          int recoveredUndelivered, long adopted, long executed, int readyIncarnations,
                          List<Long> adoptionResumedMillis, long elapsedMillis,
                          List<Violation> violations, List<Path> files) {
    public ChaosReport {
        violations = List.copyOf(violations);
        adoptionResumedMillis = List.copyOf(adoptionResumedMillis);
        files = List.copyOf(files);
    }

    /** Whether every invariant held. */
    public boolean passed() {
        return violations.isEmpty();
    }

    /** adopted / executed (0 when nothing executed). */
    public double adoptRatio() {
        return executed == 0 ? 0 : (double) adopted / executed;
    }

    /** A markdown summary (the same facts as the last lines on stdout). */
    public String markdown() {
        StringBuilder sb = new StringBuilder("# Chaos run\n\n");
        sb.append(String.format(Locale.ROOT, "Seed %d (replay: `./remora chaos --seed %d --duration %ds --preexecutors %d"
                        + " --pre-kills %d --pre-stops %d --primary-kills %d --rate %.0f --workload %s`).%n%n",
                config.seed(), config.seed(), config.duration().toSeconds(), config.preExecutors(), config.preKills(),
                config.preStops(), config.primaryKills(), config.rate(), config.workload()));
        sb.append("| what | value |\n| --- | --- |\n");
        row(sb, "result", passed() ? "PASSED: every invariant held" : "FAILED: " + violations.size() + " violations");
        row(sb, "wall time", String.format(Locale.ROOT, "%.1f s", elapsedMillis / 1000.0));
        row(sb, "commits ordered and checked", commits + String.format(Locale.ROOT, " (in %.1f s)", orderedMillis / 1000.0));
        row(sb, "transactions (positions, copies included)", Long.toString(positions));
        row(sb, "distinct transactions / copies ordered again", distinct + " / " + copies);
        row(sb, "pre-executor SIGKILLs (each replaced)", Integer.toString(preKills));
        row(sb, "pre-executor SIGSTOP/SIGCONT", Integer.toString(preStops));
        row(sb, "primary SIGKILLs (restarted on its data directory)", Integer.toString(primaryKills));
        row(sb, "primary incarnations", Integer.toString(primaryStarts));
        row(sb, "commits delivered as replayed after a restart", Integer.toString(replayedDeliveries));
        row(sb, "of which first delivered by the replay (durable, unacknowledged at the crash)",
                Integer.toString(recoveredUndelivered));
        row(sb, "adopted / executed by the primary", String.format(Locale.ROOT, "%d / %d (%.1f%%)", adopted, executed,
                100 * adoptRatio()));
        row(sb, "pre-execution resumed after the primary was ready", resumed());
        row(sb, "mismatches (effects, state digests, redeliveries)", Long.toString(violations.stream()
                .filter(v -> v.kind() != Violation.Kind.TIMEOUT).count()));
        if (!violations.isEmpty()) {
            sb.append("\n## Violations\n\n");
            java.util.Map<Violation.Kind, Long> byKind = new java.util.EnumMap<>(Violation.Kind.class);
            violations.forEach(v -> byKind.merge(v.kind(), 1L, Long::sum));
            sb.append("By kind: ").append(byKind).append(". The first ones:\n\n");
            violations.stream().limit(50).forEach(v -> sb.append("- ").append(v).append('\n'));
        }
        return sb.toString();
    }

    private String resumed() {
        if (adoptionResumedMillis.isEmpty()) {
            return "never (of " + readyIncarnations + " ready incarnations)";
        }
        List<Long> sorted = adoptionResumedMillis.stream().sorted().toList();
        return String.format(Locale.ROOT, "in %d of %d ready incarnations (the others adopted nothing before their kill): median %.1f s,"
                        + " max %.1f s", sorted.size(), readyIncarnations, sorted.get(sorted.size() / 2) / 1000.0,
                sorted.get(sorted.size() - 1) / 1000.0);
    }

    private static void row(StringBuilder sb, String k, String v) {
        sb.append("| ").append(k).append(" | ").append(v).append(" |\n");
    }
}
