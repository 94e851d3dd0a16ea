package io.remora.examples.ratis;

import io.remora.core.Digest;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A client of one validator's HTTP API ({@link ValidatorHttpApi}).
 *
 * <p>Thread-safety: safe from any thread.
 */
final class ValidatorClient {
    /** One line of {@code /commits}. */
    record CommitLine(long commit, Digest chain, Digest state, boolean replayed, List<Digest> transactions, int[] statuses) {
    }

    private final HttpClient http;
    private final String base;

    ValidatorClient(HttpClient http, ValidatorConfig.Peer peer) {
        this.http = http;
        this.base = "http://" + peer.host() + ":" + peer.httpPort();
    }

    /** Submits encoded transactions; returns the validator's answer line. Throws IOException if it is down. */
    String submit(List<byte[]> txs) throws IOException, InterruptedException {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        for (byte[] t : txs) {
            body.write(ByteBuffer.allocate(4).putInt(t.length).array());
            body.write(t);
        }
        HttpRequest r = HttpRequest.newBuilder(URI.create(base + "/submit")).timeout(Duration.ofSeconds(5))
                .POST(HttpRequest.BodyPublishers.ofByteArray(body.toByteArray())).build();
        HttpResponse<String> resp = http.send(r, HttpResponse.BodyHandlers.ofString());
        if (resp.statusCode() != 200) {
            throw new IOException("submit: HTTP " + resp.statusCode() + ": " + resp.body());
        }
        return resp.body().strip();
    }

    Map<String, String> status() throws IOException, InterruptedException {
        Map<String, String> out = new LinkedHashMap<>();
        for (String line : get("/status").split("\n")) {
            int eq = line.indexOf('=');
            if (eq > 0) {
                out.put(line.substring(0, eq), line.substring(eq + 1));
            }
        }
        return out;
    }

    /** Every chained commit from {@code from} on, fetched in pages. */
    List<CommitLine> commits(long from) throws IOException, InterruptedException {
        List<CommitLine> out = new ArrayList<>();
        while (true) {
            String page = get("/commits?from=" + (from + out.size()) + "&max=2000");
            if (page.isEmpty()) {
                return out;
            }
            for (String line : page.split("\n")) {
                String[] f = line.split(" ");
                List<Digest> txs = new ArrayList<>(f.length - 4);
                int[] st = new int[f.length - 4];
                for (int i = 4; i < f.length; i++) {
                    int c = f[i].indexOf(':');
                    txs.add(Digest.fromHex(f[i].substring(0, c)));
                    st[i - 4] = Integer.parseInt(f[i].substring(c + 1));
                }
                out.add(new CommitLine(Long.parseLong(f[0]), Digest.fromHex(f[1]), Digest.fromHex(f[2]), f[3].equals("1"),
                        txs, st));
            }
        }
    }

    private String get(String path) throws IOException, InterruptedException {
        HttpRequest r = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(10)).GET().build();
        HttpResponse<String> resp = http.send(r, HttpResponse.BodyHandlers.ofString());
        if (resp.statusCode() != 200) {
            throw new IOException(path + ": HTTP " + resp.statusCode() + ": " + resp.body());
        }
        return resp.body();
    }
}
