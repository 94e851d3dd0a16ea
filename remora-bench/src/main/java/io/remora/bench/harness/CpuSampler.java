package io.remora.bench.harness;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * CPU time consumed by a process, in nanoseconds: this JVM through
 * {@code com.sun.management.OperatingSystemMXBean}, another process from {@code /proc/<pid>/stat}
 * (utime + stime, in clock ticks of 10 ms: USER_HZ is 100 on Linux x86_64).
 *
 * <p>Stateless and thread-safe.
 */
public final class CpuSampler {
    private static final long NANOS_PER_TICK = 10_000_000L;

    private CpuSampler() {
    }

    /** CPU time of this JVM so far, or -1 if the platform does not tell. */
    public static long selfCpuNanos() {
        if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
            return os.getProcessCpuTime();
        }
        return -1;
    }

    /** CPU time of process {@code pid} so far, or -1 if it cannot be read (gone, not Linux). */
    public static long processCpuNanos(long pid) {
        try {
            return parseStat(Files.readString(Path.of("/proc", Long.toString(pid), "stat")));
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    /** utime + stime of a {@code /proc/<pid>/stat} line, in nanoseconds. */
    static long parseStat(String stat) {
        // The command name (field 2) is in parentheses and may contain spaces: fields restart after ')'.
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).trim().split("\\s+");
        // f[0] is field 3 (state); utime is field 14, stime field 15.
        long utime = Long.parseLong(f[11]);
        long stime = Long.parseLong(f[12]);
        return (utime + stime) * NANOS_PER_TICK;
    }
}
