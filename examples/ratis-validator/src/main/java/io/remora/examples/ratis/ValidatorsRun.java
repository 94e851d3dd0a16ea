package io.remora.examples.ratis;

import io.remora.bench.harness.WorkloadSpec;
import io.remora.core.Digest;
import io.remora.core.Effects;
import io.remora.core.ExecutionStatus;
import io.remora.core.Transaction;
import io.remora.core.codec.MessageCodec;
import io.remora.core.engine.BuiltinEngine;
import io.remora.core.exec.SequentialExecutor;
import io.remora.core.workload.Workload;
import java.io.IOException;
import java.net.http.HttpClient;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

/**
 * Runs N validator processes on loopback through a seeded workload and checks them: clients submit
 * to different validators (each sender to its own, a seeded share of transactions to two, so
 * consensus orders them twice), one validator may be SIGKILLed mid-run and restarted on its data
 * directory; at the end every validator's digest chain must equal every other's and the chain the
 * sequential reference executor computes on the same commit order, each transaction must have been
 * executed exactly once (every later copy DUPLICATE), and no validator may have seen a divergent
 * attestation. Used by {@code ./remora validators} and by {@code ValidatorsTest}.
 *
 * <p>Transactions the killed validator had admitted but not yet got ordered are lost with it; the
 * client resubmits what has not committed once the load ends (as a client does after a timeout), so
 * some may be ordered twice, which exactly-once absorbs.
 *
 * <p>Not thread-safe: one run per instance, on the calling thread.
 */
final class ValidatorsRun {
    /**
     * @param killValidator index of the validator to SIGKILL (-1: none), at {@code killAt} after the load starts
     *                      (or later, once it has chained {@value #MIN_COMMITS_BEFORE_KILL} commits); restarted
     *                      {@code restartAfter} after the kill
     * @param faultyValidator index of a validator run with {@code --fault-injection} (-1: none): the run must then
     *                        report its divergence
     */
    record Options(long seed, String workload, int validators, int preExecutors, double rate, Duration duration,
                   int killValidator, Duration killAt, Duration restartAfter, double duplicateShare, boolean fsync,
                   int maxBatch, Duration linger, Duration settleTimeout, int faultyValidator, int metricsPort) {
        int transactions() {
            return (int) Math.max(1, Math.round(rate * duration.toMillis() / 1000.0));
        }
    }

    record ValidatorSummary(String id, long head, String chain, long replayed, long recovered, long executed,
                            long adopted, long divergences, long agreements) {
    }

    record Report(List<String> failures, long commits, long transactions, long duplicatesOrdered, double loadSeconds,
                  double committedPerSecond, List<ValidatorSummary> validators, String referenceChain, String events) {
        boolean ok() {
            return failures.isEmpty();
        }
    }

    /** The live view: called about once a second with each validator's status (empty map: down). */
    interface View {
        void tick(double elapsedSeconds, List<Map<String, String>> statuses);

        void event(String what);
    }

    /** The victim is killed at {@code killAt} but not before it has chained this many commits. */
    static final int MIN_COMMITS_BEFORE_KILL = 3;

    private final Options o;
    private final View view;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
    private final StringBuilder events = new StringBuilder();
    private final long created = System.nanoTime();
    private ValidatorProcesses procs;
    private List<ValidatorClient> clients;
    private boolean killed;
    private boolean restarted;
    private double killedAt;

    ValidatorsRun(Options o, View view) {
        this.o = o;
        this.view = view;
    }

    Report run(Path dir) throws Exception {
        Workload w = WorkloadSpec.parse(o.workload()).generator(o.seed()).take(o.transactions());
        List<ValidatorConfig.Peer> peers = ValidatorProcesses.loopbackPeers(o.validators());
        List<ValidatorConfig> cfgs = new ArrayList<>();
        for (ValidatorConfig.Peer p : peers) {
            cfgs.add(new ValidatorConfig(p.id(), peers, dir.resolve(p.id()), o.workload(), o.seed(), o.preExecutors(), 1,
                    o.maxBatch(), o.linger(), o.fsync(), true, cfgs.size() == o.faultyValidator(),
                    o.metricsPort() < 0 ? -1 : o.metricsPort() + cfgs.size()));
        }
        clients = peers.stream().map(p -> new ValidatorClient(http, p)).toList();
        try (ValidatorProcesses p = new ValidatorProcesses(cfgs, dir.resolve("logs"))) {
            procs = p;
            for (int i = 0; i < cfgs.size(); i++) {
                p.start(i);
            }
            awaitReady(Duration.ofSeconds(90));
            double loadSeconds = drive(w);
            return settleAndCheck(w, loadSeconds);
        } finally {
            http.close();
        }
    }

    private void awaitReady(Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            List<Map<String, String>> st = statuses();
            boolean leader = st.stream().anyMatch(s -> "LEADER".equals(s.get("role")));
            boolean synced = st.stream().allMatch(s -> !s.isEmpty()
                    && Long.parseLong(s.get("preExecutorsSynced")) >= o.preExecutors());
            // Every replica has applied every validator's first attestation: Raft works end to end.
            boolean attested = st.stream().allMatch(s -> procs.configs().stream()
                    .allMatch(c -> s.containsKey("attested." + c.id())));
            if (leader && synced && attested) {
                event("all " + st.size() + " validators up, " + o.preExecutors() + " pre-executor(s) each synced, leader "
                        + leaderOf(st) + ", every validator's genesis attestation applied everywhere");
                return;
            }
            failIfExited();
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("validators not ready within " + timeout.toSeconds() + " s (a leader and "
                        + o.preExecutors() + " synced pre-executor(s) each, every genesis attestation applied): " + st + "; logs in " + procs.log(0).getParent());
            }
            Thread.sleep(200);
        }
    }

    private void failIfExited() {
        for (int i = 0; i < o.validators(); i++) {
            Integer s = procs.exitStatus(i);
            if (s != null && !(i == o.killValidator() && killed && !restarted)) {
                throw new IllegalStateException("validator " + procs.configs().get(i).id() + " exited with status " + s
                        + "; log " + procs.log(i));
            }
        }
    }

    /** Offers the workload at the configured rate; returns the load's duration in seconds. */
    private double drive(Workload w) throws Exception {
        List<Transaction> txs = w.transactions();
        Random rnd = new Random(o.seed() ^ 0x5EEDL);
        int n = txs.size();
        int k = o.validators();
        long start = System.nanoTime();
        long lastTick = start;
        int next = 0;
        while (next < n) {
            long now = System.nanoTime();
            double t = (now - start) / 1e9;
            maybeKillOrRestart(t);
            int due = (int) Math.min(n, Math.floor(t * o.rate()) + 1);
            List<List<byte[]>> perValidator = new ArrayList<>();
            for (int i = 0; i < k; i++) {
                perValidator.add(new ArrayList<>());
            }
            for (; next < due; next++) {
                Transaction tx = txs.get(next);
                byte[] bytes = MessageCodec.encode(tx);
                int home = Math.floorMod(tx.sender().hashCode(), k);
                perValidator.get(home).add(bytes);
                if (rnd.nextDouble() < o.duplicateShare()) {
                    perValidator.get((home + 1 + rnd.nextInt(k - 1)) % k).add(bytes);
                }
            }
            for (int i = 0; i < k; i++) {
                if (!perValidator.get(i).isEmpty()) {
                    submitSomewhere(i, perValidator.get(i));
                }
            }
            if (now - lastTick >= 1_000_000_000L) {
                lastTick = now;
                view.tick(t, statuses());
            }
            Thread.sleep(20);
        }
        double loadSeconds = (System.nanoTime() - start) / 1e9;
        while (o.killValidator() >= 0 && !restarted) { // the load ended before the kill or the restart
            maybeKillOrRestart((System.nanoTime() - start) / 1e9);
            Thread.sleep(50);
        }
        return loadSeconds;
    }

    private void maybeKillOrRestart(double t) throws Exception {
        int v = o.killValidator();
        if (v < 0) {
            return;
        }
        double killAt = o.killAt().toMillis() / 1000.0;
        if (!killed && t >= killAt) {
            Map<String, String> before = status(v);
            if (num(before, "commit") < MIN_COMMITS_BEFORE_KILL && t < killAt + 30) {
                return; // a slow machine: kill once it has durable commits to recover (30 s at most later)
            }
            procs.kill(v);
            killed = true;
            killedAt = t;
            event(String.format("SIGKILL %s (pid tree: validator + its pre-executors) at %.1f s, its head was commit %s (%s)",
                    procs.configs().get(v).id(), t, before.getOrDefault("commit", "?"), before.getOrDefault("role", "down")));
        } else if (killed && !restarted && t >= killedAt + o.restartAfter().toMillis() / 1000.0) {
            procs.start(v);
            restarted = true;
            event(String.format("restarted %s on its data directory at %.1f s", procs.configs().get(v).id(), t));
        }
    }

    /** Submits to validator {@code first}, or to the next one that answers (a client failing over). */
    private void submitSomewhere(int first, List<byte[]> batch) throws InterruptedException {
        for (int a = 0; a < o.validators(); a++) {
            int i = (first + a) % o.validators();
            if (!procs.alive(i)) {
                continue;
            }
            try {
                clients.get(i).submit(batch);
                return;
            } catch (IOException down) {
                // not up yet (restarting) or gone: try the next
            }
        }
        throw new IllegalStateException("no validator accepted a submission");
    }

    private Report settleAndCheck(Workload w, double loadSeconds) throws Exception {
        Map<Digest, Transaction> byDigest = new HashMap<>();
        for (Transaction tx : w.transactions()) {
            byDigest.put(tx.digest(), tx);
        }
        int witness = 0; // whose commit order the reference replays: neither killed nor faulty, if there is one
        while (witness < o.validators() - 1 && (witness == o.killValidator() || witness == o.faultyValidator())) {
            witness++;
        }
        long deadline = System.nanoTime() + o.settleTimeout().toNanos();
        long lastResubmit = System.nanoTime();
        long lastTick = 0;
        int resubmitted = 0;
        List<Map<String, String>> st;
        while (true) {
            st = statuses();
            Set<Digest> committed = new HashSet<>();
            for (ValidatorClient.CommitLine l : clients.get(witness).commits(0)) {
                committed.addAll(l.transactions());
            }
            List<byte[]> missing = new ArrayList<>();
            for (Transaction tx : w.transactions()) {
                if (!committed.contains(tx.digest())) {
                    missing.add(MessageCodec.encode(tx));
                }
            }
            boolean idle = st.stream().allMatch(s -> "0".equals(s.get("queued")));
            if (!missing.isEmpty() && idle && System.nanoTime() - lastResubmit > 3_000_000_000L) {
                submitSomewhere(witness, missing);
                resubmitted += missing.size();
                lastResubmit = System.nanoTime();
                event("resubmitted " + missing.size() + " transaction(s) not committed 3 s after the load (lost with the"
                        + " killed validator's proposal queue, or still in flight)");
            }
            if (missing.isEmpty() && converged(st)) {
                break;
            }
            failIfExited();
            if (System.nanoTime() - lastTick > 1_000_000_000L) {
                lastTick = System.nanoTime();
                view.tick(-1, st);
            }
            if (System.nanoTime() > deadline) {
                List<String> f = new ArrayList<>();
                f.add("validators did not converge within " + o.settleTimeout().toSeconds() + " s: " + missing.size()
                        + " transaction(s) uncommitted; heads " + heads(st) + "; logs in " + procs.log(0).getParent());
                return report(f, w, loadSeconds, st, List.of(), "", 0);
            }
            Thread.sleep(300);
        }
        view.tick(-1, st);
        event("settled: every transaction committed, every validator at commit " + st.get(0).get("commit")
                + " and every head attested everywhere"
                + (resubmitted > 0 ? " (" + resubmitted + " resubmitted)" : ""));
        return check(w, byDigest, loadSeconds, st, witness);
    }

    /**
     * Every validator at the same commit with nothing queued, and every validator's attestation of that
     * commit applied on every replica (so every head has been compared everywhere). Chains are not
     * required to be equal here: {@link #check} reports it if they are not.
     */
    private boolean converged(List<Map<String, String>> st) {
        if (st.stream().anyMatch(Map::isEmpty)) {
            return false;
        }
        long c = num(st.get(0), "commit");
        return c >= 0 && st.stream().allMatch(s -> num(s, "commit") == c && "0".equals(s.get("queued"))
                && procs.configs().stream().allMatch(p -> num(s, "attested." + p.id()) >= c));
    }

    private Report check(Workload w, Map<Digest, Transaction> byDigest, double loadSeconds, List<Map<String, String>> st,
                         int witness) throws Exception {
        List<String> failures = new ArrayList<>();
        List<List<ValidatorClient.CommitLine>> chains = new ArrayList<>();
        for (ValidatorClient c : clients) {
            chains.add(c.commits(0));
        }
        // The oracle: the sequential reference executor on the commit order the validators agreed on.
        List<ValidatorClient.CommitLine> order = chains.get(witness);
        SequentialExecutor ref = new SequentialExecutor(BuiltinEngine.executor("reference"), w.genesisStore());
        Digest prev = Validator.genesisDigest(w.genesis());
        List<Digest> refChain = new ArrayList<>();
        Map<Digest, Integer> executions = new HashMap<>();
        long duplicates = 0;
        for (ValidatorClient.CommitLine line : order) {
            List<Transaction> txs = new ArrayList<>();
            for (Digest d : line.transactions()) {
                Transaction tx = byDigest.get(d);
                if (tx == null) {
                    failures.add("commit " + line.commit() + " holds transaction " + d.toHex() + " that no client sent");
                    return report(failures, w, loadSeconds, st, chains, "", 0);
                }
                txs.add(tx);
            }
            List<Effects> effects = ref.executeAll(txs);
            for (Effects e : effects) {
                int code = DigestChain.statusCode(e);
                if (code == ExecutionStatus.DUPLICATE) {
                    duplicates++;
                } else {
                    executions.merge(e.transaction(), 1, Integer::sum);
                }
            }
            prev = DigestChain.link(line.commit(), prev, ref.stateDigest(), effects);
            refChain.add(prev);
        }
        for (int v = 0; v < chains.size(); v++) {
            String id = procs.configs().get(v).id();
            List<ValidatorClient.CommitLine> c = chains.get(v);
            if (c.size() != refChain.size()) {
                failures.add(id + " has " + c.size() + " commits, the reference order " + refChain.size());
            }
            for (int k = 0; k < Math.min(c.size(), refChain.size()); k++) {
                if (!c.get(k).chain().equals(refChain.get(k))) {
                    failures.add(id + "'s chain differs from the sequential reference's at commit " + k + " (state "
                            + (c.get(k).state().equals(order.get(k).state()) ? "equal to" : "differs from") + " "
                            + procs.configs().get(witness).id() + "'s)");
                    break;
                }
            }
            // Exactly once, as this validator reports it: one non-DUPLICATE outcome per transaction.
            Map<Digest, Integer> outcomes = new HashMap<>();
            for (ValidatorClient.CommitLine line : c) {
                for (int i = 0; i < line.statuses().length; i++) {
                    if (line.statuses()[i] != ExecutionStatus.DUPLICATE) {
                        outcomes.merge(line.transactions().get(i), 1, Integer::sum);
                    }
                }
            }
            for (Transaction tx : w.transactions()) {
                int n = outcomes.getOrDefault(tx.digest(), 0);
                if (n != 1) {
                    failures.add(id + " executed transaction " + tx.digest().toHex() + " " + n + " times (expected: once)");
                    break;
                }
            }
            Map<String, String> s = st.get(v);
            if (!"0".equals(s.get("divergences"))) {
                failures.add(id + " saw " + s.get("divergences") + " divergent attestation(s): " + s.get("firstDivergence"));
            }
            if ("0".equals(s.get("agreements"))) {
                failures.add(id + " compared no attestation (expected: every validator's heads compared)");
            }
        }
        for (Transaction tx : w.transactions()) {
            int n = executions.getOrDefault(tx.digest(), 0);
            if (n != 1) {
                failures.add("the reference executed transaction " + tx.digest().toHex() + " " + n + " times (expected: once)");
                break;
            }
        }
        return report(failures, w, loadSeconds, st, chains, refChain.isEmpty() ? "" : refChain.getLast().toHex(), duplicates);
    }

    private Report report(List<String> failures, Workload w, double loadSeconds, List<Map<String, String>> st,
                          List<List<ValidatorClient.CommitLine>> chains, String refHead, long duplicates) {
        List<ValidatorSummary> vs = new ArrayList<>();
        for (int v = 0; v < st.size(); v++) {
            Map<String, String> s = st.get(v);
            long replayed = v < chains.size() ? chains.get(v).stream().filter(ValidatorClient.CommitLine::replayed).count() : -1;
            vs.add(new ValidatorSummary(procs.configs().get(v).id(), num(s, "commit"), s.getOrDefault("chain", "?"), replayed,
                    num(s, "recovered"), num(s, "transactions"), num(s, "adopted"), num(s, "divergences"),
                    num(s, "agreements")));
        }
        long commits = chains.isEmpty() ? 0 : chains.get(0).size();
        return new Report(List.copyOf(failures), commits, w.transactions().size(), duplicates, loadSeconds,
                w.transactions().size() / Math.max(1e-9, loadSeconds), vs, refHead, events.toString());
    }

    private static long num(Map<String, String> s, String k) {
        try {
            return Long.parseLong(s.getOrDefault(k, "-1"));
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    private List<Map<String, String>> statuses() {
        List<Map<String, String>> out = new ArrayList<>();
        for (int i = 0; i < clients.size(); i++) {
            out.add(status(i));
        }
        return out;
    }

    private Map<String, String> status(int i) {
        if (!procs.alive(i)) {
            return Map.of();
        }
        try {
            return clients.get(i).status();
        } catch (IOException e) {
            return Map.of();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Map.of();
        }
    }

    private static String leaderOf(List<Map<String, String>> st) {
        return st.stream().filter(s -> "LEADER".equals(s.get("role"))).map(s -> s.get("id")).findFirst().orElse("none");
    }

    private static String heads(List<Map<String, String>> st) {
        Map<String, String> h = new LinkedHashMap<>();
        for (Map<String, String> s : st) {
            h.put(s.getOrDefault("id", "down"), s.getOrDefault("commit", "?") + "/" + s.getOrDefault("chain", "?").substring(0,
                    Math.min(12, s.getOrDefault("chain", "?").length())));
        }
        return h.toString();
    }

    private void event(String what) {
        String line = String.format(java.util.Locale.ROOT, "[%5.1f s] %s", (System.nanoTime() - created) / 1e9, what);
        events.append(line).append('\n');
        view.event(line);
    }

}
