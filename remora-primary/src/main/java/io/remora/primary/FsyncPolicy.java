package io.remora.primary;

/**
 * When the primary forces a commit's RocksDB write to stable storage.
 *
 * <p>Both policies write each commit as one atomic RocksDB write batch through the write-ahead log,
 * so a commit is either entirely durable or entirely absent after any crash; they differ only in
 * which crashes a commit acknowledged to the host survives.
 */
public enum FsyncPolicy {
    /**
     * fsync the write-ahead log before a commit's effects are published: an acknowledged commit
     * survives a process crash and a power loss. The default.
     */
    EVERY_COMMIT,
    /**
     * Write the write-ahead log without syncing it: an acknowledged commit survives a process crash
     * (the OS page cache holds it) but may be lost on power loss or a kernel crash, in which case the
     * host replays from {@link RemoraPrimary#lastExecutedCommit()} + 1.
     */
    NEVER
}
