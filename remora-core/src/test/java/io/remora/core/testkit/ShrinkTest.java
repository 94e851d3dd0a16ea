package io.remora.core.testkit;

import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ShrinkTest {
    private final List<Integer> items = IntStream.range(0, 100).boxed().toList();

    private static void noThirtySeven(List<Integer> prefix) {
        if (prefix.contains(37)) {
            throw new AssertionError("found 37");
        }
    }

    @Test
    void shouldFindShortestFailingPrefix() {
        assertEquals(38, Shrink.shortestFailingPrefix(items, ShrinkTest::noThirtySeven));
        assertEquals(-1, Shrink.shortestFailingPrefix(items.subList(0, 30), ShrinkTest::noThirtySeven));
    }

    @Test
    void shouldReportMinimalCaseAndSeed() {
        AssertionError e = assertThrows(AssertionError.class, () -> Shrink.checkPrefixes(5, items, ShrinkTest::noThirtySeven));
        assertTrue(e.getMessage().contains("first 38 items"), e.getMessage());
        assertTrue(e.getMessage().contains("last item 37"), e.getMessage());
        assertTrue(e.getMessage().contains("seed=5"), e.getMessage());
    }
}
