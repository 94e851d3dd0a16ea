package io.remora.examples.ratis;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.remora.primary.PrimaryMetrics;
import io.remora.primary.SubmitOutcome;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A validator's client API, plain HTTP on its loopback port (JDK {@code HttpServer}: no dependency).
 *
 * <pre>
 *  POST /submit    body: repeated (len u32 | TRANSACTION message); answers "admitted=N rejected=M busy=B".
 *                  Each is admitted (routed to a pre-executor, proposed to Raft) and the body is gossiped
 *                  to the other validators with header X-Remora-Gossip: 1, which makes them pre-execute
 *                  it without proposing it again.
 *  GET  /status    key=value lines: id, role, commit (chain head), chain, state, ... (see {@link #status})
 *  GET  /commits?from=K&amp;max=N   one line per chained commit from K:
 *                  "k chainHex stateHex replayed(0|1) txDigestHex:status ..." (status 0 = success, 12 = DUPLICATE)
 * </pre>
 *
 * Gossip is only ever a hint: a gossiped transaction that never commits costs a pre-execution, and
 * nothing a gossip request carries reaches state except through Raft.
 *
 * <p>Thread-safety: requests are served on a small pool; everything it calls is thread-safe.
 */
final class ValidatorHttpApi implements AutoCloseable {
    static final String GOSSIP_HEADER = "X-Remora-Gossip";

    private final Validator v;
    private final ValidatorConfig cfg;
    private final HttpServer http;
    private final HttpClient gossipClient = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private final AtomicLong admitted = new AtomicLong();
    private final AtomicLong rejected = new AtomicLong();
    private final AtomicLong busy = new AtomicLong();
    private final AtomicLong gossipReceived = new AtomicLong();

    ValidatorHttpApi(Validator v, ValidatorConfig cfg) throws IOException {
        this.v = v;
        this.cfg = cfg;
        this.http = HttpServer.create(new InetSocketAddress("127.0.0.1", cfg.self().httpPort()), 64);
        http.setExecutor(Executors.newFixedThreadPool(2, r -> {
            Thread t = new Thread(r, "remora-http");
            t.setDaemon(true);
            return t;
        }));
        http.createContext("/submit", this::submit);
        http.createContext("/status", ex -> reply(ex, 200, status()));
        http.createContext("/commits", this::commits);
    }

    void start() {
        http.start();
    }

    private void submit(HttpExchange ex) throws IOException {
        if (!"POST".equals(ex.getRequestMethod())) {
            reply(ex, 405, "POST only\n");
            return;
        }
        byte[] body = ex.getRequestBody().readAllBytes();
        boolean gossip = "1".equals(ex.getRequestHeaders().getFirst(GOSSIP_HEADER));
        List<byte[]> txs;
        try {
            txs = split(body);
        } catch (IllegalArgumentException bad) {
            reply(ex, 400, bad.getMessage() + "\n");
            return;
        }
        int ok = 0;
        int bad = 0;
        int full = 0;
        for (byte[] t : txs) {
            try {
                SubmitOutcome o = v.admit(t, gossip);
                if (o.admitted()) {
                    ok++;
                } else {
                    bad++;
                }
            } catch (IllegalStateException queueFull) {
                full++;
            }
        }
        if (gossip) {
            gossipReceived.addAndGet(txs.size());
        } else {
            admitted.addAndGet(ok);
            rejected.addAndGet(bad);
            busy.addAndGet(full);
            gossip(body);
        }
        reply(ex, 200, "admitted=" + ok + " rejected=" + bad + " busy=" + full + "\n");
    }

    private void gossip(byte[] body) {
        for (ValidatorConfig.Peer p : cfg.peers()) {
            if (p.id().equals(cfg.id())) {
                continue;
            }
            HttpRequest r = HttpRequest.newBuilder(URI.create("http://" + p.host() + ":" + p.httpPort() + "/submit"))
                    .header(GOSSIP_HEADER, "1").timeout(Duration.ofSeconds(2))
                    .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build();
            gossipClient.sendAsync(r, HttpResponse.BodyHandlers.discarding()); // a peer that is down misses a hint
        }
    }

    static List<byte[]> split(byte[] body) {
        ByteBuffer b = ByteBuffer.wrap(body);
        List<byte[]> out = new ArrayList<>();
        while (b.hasRemaining()) {
            if (b.remaining() < 4) {
                throw new IllegalArgumentException("truncated length at byte " + b.position());
            }
            int len = b.getInt();
            if (len < 0 || len > b.remaining() || len > RaftEntries.MAX_TRANSACTION_BYTES) {
                throw new IllegalArgumentException("length=" + len + " at byte " + (b.position() - 4)
                        + " (expected: 0.." + Math.min(b.remaining(), RaftEntries.MAX_TRANSACTION_BYTES) + ")");
            }
            byte[] t = new byte[len];
            b.get(t);
            out.add(t);
        }
        return out;
    }

    /** The status page: one {@code key=value} per line. */
    String status() {
        DigestChain.Head h = v.chain().head();
        PrimaryMetrics m = v.primary().metrics();
        StringBuilder s = new StringBuilder();
        kv(s, "id", cfg.id());
        kv(s, "role", v.role());
        kv(s, "commit", h.commit());
        kv(s, "chain", h.digest().toHex());
        kv(s, "state", v.primary().stateDigest().toHex());
        kv(s, "recovered", v.stateMachine().recoveredCommit());
        kv(s, "applied", v.stateMachine().commitsApplied());
        kv(s, "transactions", m.transactionsExecuted());
        kv(s, "adopted", m.adopted());
        kv(s, "duplicates", m.duplicates());
        kv(s, "admitted", admitted.get());
        kv(s, "rejected", rejected.get());
        kv(s, "busy", busy.get());
        kv(s, "gossipReceived", gossipReceived.get());
        kv(s, "queued", v.proposer().queued());
        kv(s, "batchesProposed", v.proposer().batchesProposed());
        kv(s, "proposalsFailed", v.proposer().proposalsFailed());
        kv(s, "preExecutorsSynced", v.syncedPreExecutors());
        kv(s, "agreements", v.chain().agreements());
        List<DigestChain.Divergence> d = v.chain().divergences();
        kv(s, "divergences", d.size());
        if (!d.isEmpty()) {
            kv(s, "firstDivergence", d.get(0));
        }
        for (Map.Entry<String, Long> e : v.chain().lastAttested().entrySet()) {
            kv(s, "attested." + e.getKey(), e.getValue());
        }
        kv(s, "skippedEntries", v.stateMachine().skippedEntries());
        kv(s, "skippedTransactions", v.stateMachine().skippedTransactions());
        return s.toString();
    }

    private void commits(HttpExchange ex) throws IOException {
        long from = 0;
        int max = 1000;
        String q = ex.getRequestURI().getRawQuery();
        if (q != null) {
            for (String kv : q.split("&")) {
                String[] p = kv.split("=", 2);
                try {
                    if (p[0].equals("from")) {
                        from = Long.parseLong(p[1]);
                    } else if (p[0].equals("max")) {
                        max = Math.max(1, Math.min(10_000, Integer.parseInt(p[1])));
                    }
                } catch (RuntimeException bad) {
                    reply(ex, 400, "query=" + q + " (expected: from=K&max=N)\n");
                    return;
                }
            }
        }
        StringBuilder s = new StringBuilder();
        for (DigestChain.Link l : v.chain().links(from, max)) {
            s.append(l.commit()).append(' ').append(l.chain().toHex()).append(' ').append(l.state().toHex())
                    .append(' ').append(l.replayed() ? 1 : 0);
            for (int i = 0; i < l.statuses().length; i++) {
                s.append(' ').append(l.transactions().get(i).toHex()).append(':').append(l.statuses()[i]);
            }
            s.append('\n');
        }
        reply(ex, 200, s.toString());
    }

    private static void kv(StringBuilder s, String k, Object v) {
        s.append(k).append('=').append(v).append('\n');
    }

    private static void reply(HttpExchange ex, int code, String body) throws IOException {
        byte[] b = body.getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().set("Content-Type", "text/plain; charset=utf-8");
        ex.sendResponseHeaders(code, b.length);
        try (OutputStream o = ex.getResponseBody()) {
            o.write(b);
        }
    }

    @Override
    public void close() {
        http.stop(0);
        gossipClient.close();
    }
}
