package io.remora.primary.sim;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayDeque;
import java.util.HexFormat;

/**
 * A running SHA-256 of what happened in a simulation, in order (deliveries, commits, faults): two
 * runs of one seed must give one hash. The last lines are kept to show where a run went wrong.
 *
 * <p>Thread-safety: synchronized (the primary's threads may drop messages into it).
 */
final class Trace {
    private static final int TAIL = 40;
    private final MessageDigest sha;
    private final SimScheduler sched;
    private final ArrayDeque<String> tail = new ArrayDeque<>();
    private long lines;

    Trace(SimScheduler sched) {
        this.sched = sched;
        try {
            this.sha = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    synchronized void add(Object... parts) {
        StringBuilder sb = new StringBuilder().append(sched.now() - SimScheduler.EPOCH);
        for (Object p : parts) {
            sb.append(' ').append(p);
        }
        String line = sb.toString();
        sha.update(line.getBytes(StandardCharsets.UTF_8));
        sha.update((byte) '\n');
        lines++;
        if (tail.size() == TAIL) {
            tail.removeFirst();
        }
        tail.addLast(line);
    }

    synchronized String hash() {
        try {
            return HexFormat.of().formatHex(((MessageDigest) sha.clone()).digest()).substring(0, 16);
        } catch (CloneNotSupportedException e) {
            throw new IllegalStateException(e);
        }
    }

    synchronized long lines() {
        return lines;
    }

    synchronized String tail() {
        return String.join("\n", tail);
    }
}
