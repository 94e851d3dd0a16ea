package io.remora.bench.harness;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.Comparator;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * A temporary directory, readable by its owner only, deleted (recursively) by {@link #close()} or,
 * if the JVM exits first (Ctrl-C), by a shutdown hook.
 *
 * <p>A JVM killed with SIGKILL runs no hook, so each directory holds an {@value #OWNER_FILE} file
 * (the owning process's id and start instant) that the owner keeps locked ({@link FileChannel#lock})
 * for its life; the kernel drops the lock when the process dies, however it dies. Creating a
 * directory with the same prefix first deletes the ones of the same user whose owner file is no
 * longer locked: a killed run's data (RocksDB files, logs) lasts until the next run, no longer. Nothing secret is ever written into it (pre-executors get their
 * keys over a pipe, see {@link PreExecutorProcesses}).
 *
 * <p>{@link #close()} is idempotent and thread-safe.
 */
public final class TempDirectory implements AutoCloseable {
    /** Name of the file that records which process owns a directory. */
    static final String OWNER_FILE = ".remora-owner";

    private final Path path;
    private final Thread hook;
    private final FileChannel ownerChannel;
    private boolean deleted;

    /** A new directory under the system temporary directory ({@code java.io.tmpdir}). */
    public TempDirectory(String prefix) throws IOException {
        this(Path.of(System.getProperty("java.io.tmpdir")), prefix);
    }

    /** A new directory under {@code base}, after deleting the ones a dead process left there. */
    public TempDirectory(Path base, String prefix) throws IOException {
        sweepAbandoned(base, prefix);
        // Files.createTempDirectory makes it rwx------ on POSIX file systems.
        this.path = Files.createTempDirectory(base, prefix);
        ProcessHandle self = ProcessHandle.current();
        Files.writeString(path.resolve(OWNER_FILE), self.pid() + " "
                + self.info().startInstant().map(Instant::toString).orElse("?"), StandardCharsets.US_ASCII);
        this.ownerChannel = FileChannel.open(path.resolve(OWNER_FILE), StandardOpenOption.READ, StandardOpenOption.WRITE);
        this.ownerChannel.lock(); // held until close or death; released with the channel
        this.hook = new Thread(this::delete, "remora-tmp-cleaner");
        Runtime.getRuntime().addShutdownHook(hook);
    }

    public Path path() {
        return path;
    }

    /**
     * Copies the files directly in {@code from} (logs, say) into {@code to}, created if needed,
     * replacing files of the same name; a temporary directory's owner file is not copied.
     */
    public static void copyFiles(Path from, Path to) throws IOException {
        Files.createDirectories(to);
        try (Stream<Path> files = Files.list(from)) {
            for (Path f : files.toList()) {
                if (!f.getFileName().toString().equals(OWNER_FILE)) {
                    Files.copy(f, to.resolve(f.getFileName()), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
                }
            }
        }
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
        try {
            ownerChannel.close(); // releases the lock
        } catch (IOException ignored) {
            // deleting anyway
        }
        deleteRecursively(path);
    }

    /**
     * Deletes the directories {@code base/prefix*} of this user whose {@value #OWNER_FILE} nobody
     * holds locked (its owner is gone) and whose recorded owner process is not running. Directories
     * without that file (another tool's, or one being created right now), of another user, or
     * locked, are left alone. Returns how many were deleted.
     */
    static int sweepAbandoned(Path base, String prefix) {
        int swept = 0;
        try (DirectoryStream<Path> dirs = Files.newDirectoryStream(base, prefix + "*")) {
            String user = System.getProperty("user.name");
            for (Path dir : dirs) {
                Path owner = dir.resolve(OWNER_FILE);
                if (!Files.isDirectory(dir, java.nio.file.LinkOption.NOFOLLOW_LINKS) || !Files.isRegularFile(owner)
                        || !Files.getOwner(dir).getName().equals(user)) {
                    continue;
                }
                if (!locked(owner) && !ownerAlive(Files.readString(owner, StandardCharsets.US_ASCII).strip())) {
                    deleteRecursively(dir);
                    swept++;
                }
            }
        } catch (IOException | UncheckedIOException e) {
            // best effort: a directory we may not read is not ours to delete
        }
        return swept;
    }

    /** Whether a live process (this one included) holds the owner file locked. */
    private static boolean locked(Path owner) {
        try (FileChannel c = FileChannel.open(owner, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            FileLock l = c.tryLock();
            if (l == null) {
                return true; // another process holds it
            }
            l.release();
            return false;
        } catch (OverlappingFileLockException mine) {
            return true; // this JVM holds it
        } catch (IOException e) {
            return true; // cannot tell: keep
        }
    }

    private static boolean ownerAlive(String record) {
        String[] parts = record.split(" ", 2);
        long pid;
        try {
            pid = Long.parseLong(parts[0]);
        } catch (NumberFormatException e) {
            return true; // not a record we wrote: keep
        }
        Optional<ProcessHandle> p = ProcessHandle.of(pid);
        if (p.isEmpty() || !p.get().isAlive()) {
            return false;
        }
        String started = p.get().info().startInstant().map(Instant::toString).orElse("?");
        return parts.length < 2 || parts[1].equals("?") || started.equals("?") || parts[1].equals(started);
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
