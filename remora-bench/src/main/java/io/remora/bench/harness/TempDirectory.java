package io.remora.bench.harness;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * A temporary directory deleted (recursively) by {@link #close()} or, if the JVM exits first (Ctrl-C),
 * by a shutdown hook.
 *
 * <p>{@link #close()} is idempotent and thread-safe.
 */
public final class TempDirectory implements AutoCloseable {
    private final Path path;
    private final Thread hook;
    private boolean deleted;

    public TempDirectory(String prefix) throws IOException {
        this.path = Files.createTempDirectory(prefix);
        this.hook = new Thread(this::delete, "remora-tmp-cleaner");
        Runtime.getRuntime().addShutdownHook(hook);
    }

    public Path path() {
        return path;
    }

    @Override
    public void close() {
        delete();
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException ignored) {
            // shutting down: the hook runs (or ran) anyway
        }
    }

    private synchronized void delete() {
        if (deleted) {
            return;
        }
        deleted = true;
        deleteRecursively(path);
    }

    /** Deletes {@code root} and everything under it; missing files are ignored. */
    public static void deleteRecursively(Path root) {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(root)) {
            walk.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException ignored) {
                    // best effort (a file still being written at exit)
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
