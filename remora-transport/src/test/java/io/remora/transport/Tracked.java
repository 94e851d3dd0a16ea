package io.remora.transport;

import java.util.ArrayList;
import java.util.List;

/** What a test opened, closed in reverse order by {@link #close()} (call it from {@code @AfterEach}). */
final class Tracked implements AutoCloseable {
    private final List<AutoCloseable> opened = new ArrayList<>();

    <T extends AutoCloseable> T track(T c) {
        opened.add(c);
        return c;
    }

    @Override
    public void close() throws Exception {
        for (int i = opened.size() - 1; i >= 0; i--) {
            opened.get(i).close();
        }
        opened.clear();
    }
}
