package io.remora.primary;

import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * The builders' argument checks, one definition for {@link RemoraPrimary.Builder} and
 * {@link RemoraCluster.Builder}: an {@link IllegalArgumentException} in {@code name=value (expected: ...)} form.
 */
final class Checks {
    private Checks() {
    }

    static <T> T require(String name, T value, String expected) {
        if (value == null) {
            throw new IllegalArgumentException(name + "=null (expected: " + expected + ")");
        }
        return value;
    }

    static Duration duration(String name, Duration d, Duration min, Duration max) {
        if (d == null || d.compareTo(min) < 0 || d.compareTo(max) > 0) {
            throw new IllegalArgumentException(name + "=" + d + " (expected: " + min + ".." + max + ")");
        }
        return d;
    }

    /** A node id as the transport's handshake carries it: 1..255 UTF-8 bytes. */
    static String nodeId(String id) {
        int len = id == null ? 0 : id.getBytes(StandardCharsets.UTF_8).length;
        if (len < 1 || len > 255) {
            throw new IllegalArgumentException("nodeId=" + id + " (expected: 1..255 UTF-8 bytes)");
        }
        return id;
    }
}
