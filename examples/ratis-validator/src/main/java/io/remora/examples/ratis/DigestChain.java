package io.remora.examples.ratis;

import io.remora.core.Digest;
import io.remora.core.Effects;
import io.remora.core.ExecutionStatus;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A validator's per-commit digest chain, and the comparison of other validators' attestations with
 * it (as Sui validators compare checkpoint digests).
 *
 * <pre>
 *  chain(-1) = genesis state digest
 *  chain(k)  = SHA-256("remora-chain/1" | k i64 | chain(k-1) | stateDigest(k) | effects(k)[0].digest | ...)
 * </pre>
 *
 * {@code stateDigest(k)} is the primary's state digest after commit k and {@code effects(k)} the
 * effects of its transactions in commit order, so equal heads at k mean equal histories up to k.
 * Links arrive from the primary's commit futures and are chained in commit order whatever order the
 * futures complete in. An attestation {@code (validator, k, digest)} is compared with this chain's link
 * k as soon as both are known; a difference is a divergence, recorded and reported (never repaired).
 *
 * <p>Thread-safety: all methods are synchronized.
 */
final class DigestChain {
    /** One commit as this validator executed it. */
    record Link(long commit, Digest chain, Digest state, List<Digest> transactions, int[] statuses, boolean replayed) {
    }

    /** The chain head: the last chained commit (-1: none) and its chain digest. */
    record Head(long commit, Digest digest) {
    }

    /** A validator attested a chain digest that differs from ours at {@code commit}. */
    record Divergence(String validator, long commit, Digest theirs, Digest ours) {
        @Override
        public String toString() {
            return validator + "@" + commit + " attested " + theirs.toHex().substring(0, 12) + " ours "
                    + ours.toHex().substring(0, 12);
        }
    }

    /** A status code per transaction: 0 success, else the failure code (12: DUPLICATE). */
    static int statusCode(Effects e) {
        return e.status() instanceof ExecutionStatus.Failure f ? f.code() : 0;
    }

    private static final byte[] DOMAIN = "remora-chain/1".getBytes(StandardCharsets.US_ASCII);

    private final Digest genesis;
    private final List<Link> links = new ArrayList<>();
    private final TreeMap<Long, PendingLink> early = new TreeMap<>();
    private final TreeMap<Long, List<Attestation>> unchecked = new TreeMap<>();
    private final Map<String, Long> lastAttested = new HashMap<>();
    private final List<Divergence> divergences = new ArrayList<>();
    private long agreements;

    private record PendingLink(Digest state, List<Effects> effects, boolean replayed) {
    }

    private record Attestation(String validator, Digest digest) {
    }

    DigestChain(Digest genesis) {
        this.genesis = genesis;
    }

    /** The chain function (used by the validators and by the reference check alike). */
    static Digest link(long commit, Digest previous, Digest state, List<Effects> effects) {
        MessageDigest md = sha256();
        md.update(DOMAIN);
        md.update(ByteBuffer.allocate(8).putLong(commit).array());
        md.update(previous.toBytes());
        md.update(state.toBytes());
        for (Effects e : effects) {
            md.update(e.digest().toBytes());
        }
        return Digest.wrap(md.digest());
    }

    /** Records the primary's effects of {@code commit}; chains it (and any waiting successors) when its turn comes. */
    synchronized void onCommit(long commit, Digest state, List<Effects> effects, boolean replayed) {
        if (commit < links.size()) {
            return; // already chained (a future completed twice cannot happen; be safe)
        }
        early.put(commit, new PendingLink(state, effects, replayed));
        while (!early.isEmpty() && early.firstKey() == links.size()) {
            long k = early.firstKey();
            PendingLink p = early.remove(k);
            Digest prev = k == 0 ? genesis : links.get((int) k - 1).chain();
            List<Digest> txs = new ArrayList<>(p.effects.size());
            int[] statuses = new int[p.effects.size()];
            for (int i = 0; i < statuses.length; i++) {
                Effects e = p.effects.get(i);
                txs.add(e.transaction());
                statuses[i] = statusCode(e);
            }
            Digest chain = link(k, prev, p.state, p.effects);
            links.add(new Link(k, chain, p.state, List.copyOf(txs), statuses, p.replayed));
            List<Attestation> waiting = unchecked.remove(k);
            if (waiting != null) {
                for (Attestation a : waiting) {
                    compare(a.validator, k, a.digest, chain);
                }
            }
        }
    }

    /** An attestation applied from the Raft log (ours included: it must match too). */
    synchronized void onAttestation(String validator, long commit, Digest digest) {
        lastAttested.merge(validator, commit, Math::max);
        if (commit < -1) {
            return;
        }
        if (commit == -1) {
            compare(validator, commit, digest, genesis); // another genesis: nothing after it can agree
        } else if (commit < links.size()) {
            compare(validator, commit, digest, links.get((int) commit).chain());
        } else {
            unchecked.computeIfAbsent(commit, k -> new ArrayList<>()).add(new Attestation(validator, digest));
        }
    }

    private void compare(String validator, long commit, Digest theirs, Digest ours) {
        if (theirs.equals(ours)) {
            agreements++;
        } else {
            divergences.add(new Divergence(validator, commit, theirs, ours));
            System.err.println("DIVERGENCE: " + validator + " attested chain digest " + theirs.toHex() + " at commit " + commit
                    + ", this validator has " + ours.toHex());
        }
    }

    /** The last chained commit and its digest (-1 and the genesis digest before any commit). */
    synchronized Head head() {
        return new Head(links.size() - 1, links.isEmpty() ? genesis : links.get(links.size() - 1).chain());
    }

    synchronized List<Link> links(long from, int max) {
        int a = (int) Math.max(0, Math.min(from, links.size()));
        int b = (int) Math.min(links.size(), (long) a + max);
        return List.copyOf(links.subList(a, b));
    }

    synchronized List<Divergence> divergences() {
        return List.copyOf(divergences);
    }

    synchronized long agreements() {
        return agreements;
    }

    /** The highest commit each validator has attested so far (as applied from the log). */
    synchronized Map<String, Long> lastAttested() {
        return new TreeMap<>(lastAttested);
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new AssertionError("SHA-256 is in every JDK", e);
        }
    }
}
