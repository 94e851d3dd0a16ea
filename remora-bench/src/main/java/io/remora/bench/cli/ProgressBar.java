package io.remora.bench.cli;

import io.remora.bench.harness.BenchmarkRun;
import java.io.PrintStream;
import java.util.Locale;

/**
 * The live progress display: on a terminal, one line redrawn in place with {@code \r}; otherwise (output
 * redirected, or {@code CI=true}) a plain line every {@code linePeriodSeconds}.
 *
 * <p>Called from the run's progress timer thread only.
 */
final class ProgressBar implements BenchmarkRun.ProgressListener {
    private static final int WIDTH = 24;

    private final PrintStream out;
    private final boolean interactive;
    private final int linePeriodSeconds;
    private int lastLineSecond = -1;
    private boolean drawn;

    ProgressBar(PrintStream out, boolean interactive, int linePeriodSeconds) {
        this.out = out;
        this.interactive = interactive;
        this.linePeriodSeconds = linePeriodSeconds;
    }

    /** True if stdout is a terminal and the CI variable is not {@code true}. */
    static boolean detectInteractive() {
        if ("true".equalsIgnoreCase(System.getenv("CI"))) {
            return false;
        }
        java.io.Console console = System.console();
        if (console == null) {
            return false;
        }
        try {
            // JDK 22+: System.console() may be non-null when redirected; isTerminal() tells.
            return (Boolean) java.io.Console.class.getMethod("isTerminal").invoke(console);
        } catch (ReflectiveOperationException e) {
            return true; // JDK 21: non-null console means a terminal
        }
    }

    @Override
    public void onProgress(BenchmarkRun.Progress p) {
        String text = render(p);
        if (interactive) {
            out.print("\r" + text + "\u001b[K");
            out.flush();
            drawn = true;
        } else {
            int second = (int) p.elapsedSeconds();
            if (lastLineSecond < 0 || second - lastLineSecond >= linePeriodSeconds) {
                lastLineSecond = second;
                out.println(text);
            }
        }
    }

    /** Ends the in-place line, if one was drawn. */
    void finish() {
        if (interactive && drawn) {
            out.println();
            drawn = false;
        }
    }

    static String render(BenchmarkRun.Progress p) {
        double frac = p.totalSeconds() <= 0 ? 1 : Math.min(1, p.elapsedSeconds() / p.totalSeconds());
        int filled = (int) Math.round(frac * WIDTH);
        return String.format(Locale.ROOT, "[%s%s] %5.1f/%.0f s %s| %6.0f tx/s | adopt %5.1f%% | commit→effects p50 %s p99 %s",
                "#".repeat(filled), ".".repeat(WIDTH - filled), p.elapsedSeconds(), p.totalSeconds(),
                p.warmingUp() ? "(warmup) " : "", p.throughput(), 100 * p.adoptRatio(), ms(p.p50Ms()), ms(p.p99Ms()));
    }

    private static String ms(double v) {
        return Double.isNaN(v) ? "   – ms" : String.format(Locale.ROOT, "%5.1f ms", v);
    }
}
