package io.remora.bench.cli;

import io.remora.bench.dashboard.Dashboard;
import io.remora.bench.dashboard.Recorder;
import io.remora.bench.dashboard.Scrape;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code remora dashboard}: scrapes the given endpoints (a demo's {@code --metrics-port} and its
 * pre-executors') every {@code --interval} until they stop answering, then renders the Grafana
 * dashboard's panels from the recording into a PNG.
 */
@Command(name = "dashboard", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        header = "Records scrapes of a running demo and renders the Grafana dashboard's panels as a PNG.",
        description = {"Scrapes each --url every --interval (as Prometheus would) until every endpoint that answered",
                "has stopped answering (the demo ended) or --max-duration passed, then draws the panels of",
                "docs/grafana/remora-dashboard.json from the recording. Example, in two shells:",
                "  ./remora demo --metrics-port 9400 --metrics-linger 3s",
                "  ./remora dashboard --url http://127.0.0.1:9400/metrics --url http://127.0.0.1:9401/metrics \\",
                "      --url http://127.0.0.1:9402/metrics --out docs/remora-dashboard.png"})
final class DashboardCommand implements Callable<Integer> {
    @Option(names = "--url", required = true, description = "An endpoint to scrape (repeatable).")
    List<URI> urls;

    @Option(names = "--interval", defaultValue = "1s", converter = DurationConverter.class,
            description = "Scrape interval (default: ${DEFAULT-VALUE}).")
    Duration interval;

    @Option(names = "--window", defaultValue = "5s", converter = DurationConverter.class,
            description = "Range of the rates and quantiles, like [5s] in PromQL (default: ${DEFAULT-VALUE}).")
    Duration window;

    @Option(names = "--max-duration", defaultValue = "10m", converter = DurationConverter.class,
            description = "Stop recording after this long at most (default: ${DEFAULT-VALUE}).")
    Duration maxDuration;

    @Option(names = "--out", defaultValue = "remora-dashboard.png", description = "PNG file (default: ${DEFAULT-VALUE}).")
    Path out;

    @Override
    public Integer call() throws Exception {
        if (!interval.isPositive() || window.compareTo(interval) < 0) {
            throw new IllegalArgumentException("--window=" + window + " (expected: >= --interval=" + interval + " > 0)");
        }
        List<Scrape> rec = new Recorder(urls, interval, maxDuration, System.out).record();
        if (rec.size() < 2) {
            System.err.println("dashboard: fewer than 2 scrapes recorded; is the demo running with --metrics-port?");
            return 1;
        }
        String subtitle = String.format(Locale.ROOT, "%d scrapes every %d ms, rates over %d s", rec.size(),
                interval.toMillis(), window.toSeconds());
        Dashboard.render(rec, window.toNanos() / 1e9, subtitle, out);
        System.out.println("dashboard: wrote " + out.toAbsolutePath() + " (" + subtitle + ")");
        return 0;
    }
}
