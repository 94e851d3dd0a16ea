package io.remora.core.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * Test directories: the one recursive delete of every module's tests (core's test jar; the
 * benchmark harness, which is main code, has its own in {@code TempDirectory}).
 */
public final class TestDirs {
    private TestDirs() {
    }

    /**
     * Deletes {@code dir} and everything under it, deepest first; nothing if it does not exist.
     *
     * @throws UncheckedIOException if a file cannot be deleted (a handle still open is a leak the
     *                              test should see)
     */
    public static void delete(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> s = Files.walk(dir)) {
            s.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.delete(p);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
