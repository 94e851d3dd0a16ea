package io.remora.core.testkit;

import java.util.List;
import java.util.function.Consumer;

/**
 * Shrinking of failing randomized cases to the shortest failing prefix. Prefixes fit workloads of
 * dependent transactions: dropping a middle transaction would invalidate later owned-input
 * references, but a prefix is always a valid workload.
 *
 * <pre>
 *   Shrink.checkPrefixes(seed, workload.transactions(), prefix -> runAndAssert(prefix));
 * </pre>
 */
public final class Shrink {
    private Shrink() {
    }

    /**
     * The length of the shortest prefix of {@code items} on which {@code check} throws, or -1 if it
     * passes on the whole list. Binary search, assuming (as for invariants checked after every step)
     * that a failing prefix stays failing when extended; the result is always a failing length.
     */
    public static <T> int shortestFailingPrefix(List<T> items, Consumer<List<T>> check) {
        if (passes(items, check)) {
            return -1;
        }
        int lo = 0;
        int hi = items.size();
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (passes(items.subList(0, mid), check)) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return hi;
    }

    /**
     * Runs {@code check} on {@code items}; if it fails, shrinks to the shortest failing prefix and
     * throws an {@link AssertionError} naming the seed, the minimal length, the last item and the
     * minimal case's failure as cause.
     */
    public static <T> void checkPrefixes(long seed, List<T> items, Consumer<List<T>> check) {
        try {
            check.accept(items);
            return;
        } catch (AssertionError | RuntimeException first) {
            int n = shortestFailingPrefix(items, check);
            if (n < 0) {
                throw new AssertionError("flaky failure (whole case passes on retry), " + Seeds.replay(seed), first);
            }
            Throwable cause = failure(items.subList(0, n), check);
            String last = n == 0 ? "(empty)" : String.valueOf(items.get(n - 1));
            throw new AssertionError("failing case shrunk from " + items.size() + " to the first " + n
                    + " items; last item " + last + "; " + Seeds.replay(seed) + ": " + cause, cause);
        }
    }

    private static <T> boolean passes(List<T> items, Consumer<List<T>> check) {
        return failure(items, check) == null;
    }

    private static <T> Throwable failure(List<T> items, Consumer<List<T>> check) {
        try {
            check.accept(items);
            return null;
        } catch (AssertionError | RuntimeException e) {
            return e;
        }
    }
}
