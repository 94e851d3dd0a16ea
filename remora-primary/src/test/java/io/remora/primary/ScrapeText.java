package io.remora.primary;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * A Prometheus text-format scrape, parsed just enough for tests: sample values by their full series
 * ({@code name{labels}}), the metric names as docs/operations.md lists them (a histogram once,
 * by its base name; every other sample by its own name), and each family's {@code # TYPE}.
 */
record ScrapeText(String text, Map<String, Double> samples, Set<String> names, Map<String, String> types) {
    static ScrapeText parse(String text) {
        Map<String, Double> samples = new HashMap<>();
        Set<String> histograms = new HashSet<>();
        Map<String, String> types = new HashMap<>();
        Set<String> sampleNames = new HashSet<>();
        for (String line : text.split("\n")) {
            if (line.startsWith("# TYPE ")) {
                String[] f = line.split(" ");
                types.put(f[2], f[3]);
                if (f[3].equals("histogram")) {
                    histograms.add(f[2]);
                }
            } else if (!line.isBlank() && !line.startsWith("#")) {
                int sp = line.lastIndexOf(' ');
                String series = line.substring(0, sp);
                samples.put(series, Double.parseDouble(line.substring(sp + 1)));
                int brace = series.indexOf('{');
                sampleNames.add(brace < 0 ? series : series.substring(0, brace));
            }
        }
        Set<String> names = new HashSet<>();
        for (String n : sampleNames) {
            String base = n.replaceFirst("_(bucket|count|sum)$", "");
            names.add(histograms.contains(base) ? base : n);
        }
        return new ScrapeText(text, samples, names, types);
    }

    /** The value of one series, e.g. {@code remora_primary_commits_total} or {@code x{a="b"}}; NaN if absent. */
    double value(String series) {
        return samples.getOrDefault(series, Double.NaN);
    }

    /** The sum over every series of {@code name} whose labels contain {@code labelFilter} (e.g. {@code peer="px"}). */
    double sum(String name, String labelFilter) {
        double s = 0;
        for (Map.Entry<String, Double> e : samples.entrySet()) {
            String k = e.getKey();
            if ((k.equals(name) || k.startsWith(name + "{")) && k.contains(labelFilter)) {
                s += e.getValue();
            }
        }
        return s;
    }

    double sum(String name) {
        return sum(name, "");
    }
}
