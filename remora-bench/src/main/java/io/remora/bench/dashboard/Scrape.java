package io.remora.bench.dashboard;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * One Prometheus text-format scrape (version 0.0.4), parsed: every sample by metric name and labels.
 * Enough of the format for what Micrometer writes: {@code name{k="v",...} value}, comments skipped.
 *
 * @param atSeconds when it was taken, seconds since the recording started
 */
public record Scrape(double atSeconds, Map<String, List<Sample>> byName) {
    /** One sample: its labels (sorted) and value. */
    public record Sample(Map<String, String> labels, double value) {
    }

    public static Scrape parse(double atSeconds, String text) {
        Map<String, List<Sample>> byName = new HashMap<>();
        for (String line : text.split("\n")) {
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            int brace = line.indexOf('{');
            int sp = line.lastIndexOf(' ');
            if (sp <= 0) {
                continue;
            }
            String name;
            Map<String, String> labels = new TreeMap<>();
            if (brace > 0 && brace < sp) {
                name = line.substring(0, brace);
                int close = line.lastIndexOf('}', sp);
                parseLabels(line.substring(brace + 1, Math.max(brace + 1, close)), labels);
            } else {
                name = line.substring(0, sp).trim();
            }
            double value;
            try {
                value = Double.parseDouble(line.substring(sp + 1).trim());
            } catch (NumberFormatException e) {
                continue;
            }
            byName.computeIfAbsent(name, k -> new ArrayList<>()).add(new Sample(labels, value));
        }
        return new Scrape(atSeconds, byName);
    }

    private static void parseLabels(String s, Map<String, String> out) {
        int i = 0;
        while (i < s.length()) {
            int eq = s.indexOf('=', i);
            if (eq < 0 || eq + 1 >= s.length() || s.charAt(eq + 1) != '"') {
                return;
            }
            StringBuilder v = new StringBuilder();
            int j = eq + 2;
            for (; j < s.length() && s.charAt(j) != '"'; j++) {
                char c = s.charAt(j);
                if (c == '\\' && j + 1 < s.length()) {
                    c = s.charAt(++j);
                    v.append(c == 'n' ? '\n' : c);
                } else {
                    v.append(c);
                }
            }
            out.put(s.substring(i, eq).trim(), v.toString());
            i = j + 1;
            while (i < s.length() && (s.charAt(i) == ',' || s.charAt(i) == ' ')) {
                i++;
            }
        }
    }

    /** Samples of {@code name} whose labels include every entry of {@code match} (empty list if none). */
    public List<Sample> select(String name, Map<String, String> match) {
        List<Sample> out = new ArrayList<>();
        for (Sample s : byName.getOrDefault(name, List.of())) {
            if (s.labels.entrySet().containsAll(match.entrySet())) {
                out.add(s);
            }
        }
        return out;
    }

    /** Sum of {@code name}'s samples matching {@code match}, grouped by the value of label {@code by} (null: one group ""). */
    public Map<String, Double> sumBy(String name, Map<String, String> match, String by) {
        Map<String, Double> out = new TreeMap<>();
        for (Sample s : select(name, match)) {
            out.merge(by == null ? "" : s.labels.getOrDefault(by, ""), s.value, Double::sum);
        }
        return out;
    }

    /** Merges scrapes of several endpoints taken at about the same time (their series must differ, e.g. by {@code node}). */
    public static Scrape merge(double atSeconds, List<Scrape> parts) {
        Map<String, List<Sample>> all = new HashMap<>();
        for (Scrape p : parts) {
            p.byName.forEach((k, v) -> all.computeIfAbsent(k, x -> new ArrayList<>()).addAll(v));
        }
        return new Scrape(atSeconds, all);
    }
}
