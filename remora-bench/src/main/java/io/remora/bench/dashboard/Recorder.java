package io.remora.bench.dashboard;

import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Scrapes Prometheus endpoints every {@code interval}, the way a Prometheus server would, and keeps
 * every scrape: the recording ends after {@code maxDuration}, or once every endpoint that answered
 * has stopped answering for 3 intervals in a row (the demo ended). Endpoints that never answered
 * (a pre-executor port not open yet) are tried on each round.
 *
 * <p>Not thread-safe.
 */
public final class Recorder {
    private final List<URI> urls;
    private final Duration interval;
    private final Duration maxDuration;
    private final PrintStream log;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    public Recorder(List<URI> urls, Duration interval, Duration maxDuration, PrintStream log) {
        this.urls = List.copyOf(urls);
        this.interval = interval;
        this.maxDuration = maxDuration;
        this.log = log;
    }

    public List<Scrape> record() throws InterruptedException {
        List<Scrape> out = new ArrayList<>();
        long start = System.nanoTime();
        boolean[] answered = new boolean[urls.size()];
        int silentRounds = 0;
        for (long round = 0; System.nanoTime() - start < maxDuration.toNanos(); round++) {
            double at = (System.nanoTime() - start) / 1e9;
            List<Scrape> parts = new ArrayList<>();
            boolean any = false;
            for (int i = 0; i < urls.size(); i++) {
                String body = get(urls.get(i));
                if (body != null) {
                    parts.add(Scrape.parse(at, body));
                    answered[i] = true;
                    any = true;
                }
            }
            boolean seenAny = false;
            for (boolean a : answered) {
                seenAny |= a;
            }
            if (any) {
                out.add(Scrape.merge(at, parts));
                silentRounds = 0;
            } else if (seenAny && ++silentRounds >= 3) {
                break;
            }
            if (round % 10 == 0) {
                log.printf("dashboard: %.0f s, %d scrapes%n", at, out.size());
            }
            long next = start + (round + 1) * interval.toNanos();
            long wait = next - System.nanoTime();
            if (wait > 0) {
                Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
            }
        }
        return out;
    }

    private String get(URI url) {
        try {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(url).timeout(Duration.ofSeconds(5)).build(),
                    HttpResponse.BodyHandlers.ofString());
            return r.statusCode() == 200 ? r.body() : null;
        } catch (java.io.IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }
}
