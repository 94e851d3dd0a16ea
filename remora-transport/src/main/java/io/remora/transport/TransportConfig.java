package io.remora.transport;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * Validated, immutable transport settings. Build with {@link #builder()}; {@link Builder#build()}
 * throws {@link IllegalArgumentException} with a {@code name=value (expected: ...)} message.
 *
 * <p>Thread-safety: immutable (the heartbeat supplier is called on I/O threads and must be thread-safe).
 */
public final class TransportConfig {
    public static final int DEFAULT_MAX_FRAME_SIZE = 16 * 1024 * 1024;
    public static final int MIN_SECRET_LENGTH = 16;
    /** The longest {@link #sendLinger()}: past a millisecond a linger costs more latency than it saves work. */
    public static final Duration MAX_SEND_LINGER = Duration.ofMillis(1);
    private static final byte[] EMPTY = new byte[0];

    private final String nodeId;
    private final byte[] clusterSecret;
    private final byte[] nodeKey;
    private final int maxFrameSize;
    private final int preAuthMaxFrameSize;
    private final int maxPendingHandshakes;
    private final FrameProtection frameProtection;
    private final Duration handshakeTimeout;
    private final Duration heartbeatInterval;
    private final int missedHeartbeats;
    private final Supplier<byte[]> heartbeatPayload;
    private final Duration reconnectInitialDelay;
    private final Duration reconnectMaxDelay;
    private final Duration connectTimeout;
    private final int writeBufferLowWaterMark;
    private final int writeBufferHighWaterMark;
    private final long reliableQueueLimitBytes;
    private final int ioThreads;
    private final Duration sendLinger;

    private TransportConfig(Builder b) {
        this.nodeId = b.nodeId;
        this.clusterSecret = b.clusterSecret == null ? null : b.clusterSecret.clone();
        this.nodeKey = b.nodeKey != null ? b.nodeKey.clone() : deriveNodeKey(b.clusterSecret, b.nodeId);
        this.maxFrameSize = b.maxFrameSize;
        this.preAuthMaxFrameSize = b.preAuthMaxFrameSize;
        this.maxPendingHandshakes = b.maxPendingHandshakes;
        this.frameProtection = b.frameProtection;
        this.handshakeTimeout = b.handshakeTimeout;
        this.heartbeatInterval = b.heartbeatInterval;
        this.missedHeartbeats = b.missedHeartbeats;
        this.heartbeatPayload = b.heartbeatPayload;
        this.reconnectInitialDelay = b.reconnectInitialDelay;
        this.reconnectMaxDelay = b.reconnectMaxDelay;
        this.connectTimeout = b.connectTimeout;
        this.writeBufferLowWaterMark = b.writeBufferLowWaterMark;
        this.writeBufferHighWaterMark = b.writeBufferHighWaterMark;
        this.reliableQueueLimitBytes = b.reliableQueueLimitBytes;
        this.ioThreads = b.ioThreads;
        this.sendLinger = b.sendLinger;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** This node's id, proved to peers during the handshake (1..255 UTF-8 bytes). Required. */
    public String nodeId() {
        return nodeId;
    }

    /**
     * The cluster secret, or null for a node configured with its {@link #nodeKey()} only. A server
     * needs it: it derives each client's key from the node id the client claims.
     */
    public byte[] clusterSecret() {
        return clusterSecret == null ? null : clusterSecret.clone();
    }

    /** Whether this node holds the cluster secret (and may therefore serve). */
    public boolean hasClusterSecret() {
        return clusterSecret != null;
    }

    /**
     * This node's own key, the one its handshakes prove: given with {@link Builder#nodeKey}, or
     * derived from the cluster secret ({@link #deriveNodeKey}).
     */
    public byte[] nodeKey() {
        return nodeKey.clone();
    }

    /**
     * The key of node {@code nodeId}: {@code HMAC-SHA256(clusterSecret, "remora/node-key/v1" | 0x00 |
     * nodeId UTF-8)}. The operator gives each pre-executor only its own key (never the cluster
     * secret), so a compromised pre-executor can authenticate as itself and nobody else: it cannot
     * open connections under other node ids (which would let one machine cast several votes when
     * results are cross-checked), nor pose as the primary to another pre-executor.
     */
    public static byte[] deriveNodeKey(byte[] clusterSecret, String nodeId) {
        if (clusterSecret == null || nodeId == null) {
            return null;
        }
        try {
            javax.crypto.Mac mac = javax.crypto.Mac.getInstance("HmacSHA256");
            mac.init(new javax.crypto.spec.SecretKeySpec(clusterSecret, "HmacSHA256"));
            mac.update("remora/node-key/v1".getBytes(StandardCharsets.US_ASCII));
            mac.update((byte) 0);
            return mac.doFinal(nodeId.getBytes(StandardCharsets.UTF_8));
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 unavailable", e);
        }
    }

    /**
     * Largest frame accepted before the peer is authenticated (the handshake's own frames are at
     * most ~330 bytes): an unauthenticated peer cannot make this side buffer more.
     */
    public int preAuthMaxFrameSize() {
        return preAuthMaxFrameSize;
    }

    /** A server's limit of connections that have not finished the handshake; more are closed at once. */
    public int maxPendingHandshakes() {
        return maxPendingHandshakes;
    }

    /** What protects each frame after the handshake (the stronger of the two sides' is used). */
    public FrameProtection frameProtection() {
        return frameProtection;
    }

    public int maxFrameSize() {
        return maxFrameSize;
    }

    /**
     * Largest payload a frame can carry: {@code maxFrameSize - 36} (the header's 4 bytes after the
     * length field, and what sealing a frame alone adds: the record's 8-byte header, sequence number
     * and tag, 32 bytes, whatever the protection: the limit does not depend on the peer).
     */
    public int maxPayloadSize() {
        return maxFrameSize - 36;
    }

    /** Time allowed from TCP connect to authentication. Default 5 s. */
    public Duration handshakeTimeout() {
        return handshakeTimeout;
    }

    /**
     * Period of this side's heartbeat frames (1 ms..1 h; announced to the peer in the handshake, in
     * milliseconds rounded up). The peer is declared dead after {@code missedHeartbeats × max(this,
     * the peer's announced interval)} without an inbound frame, so the two sides may differ. Default 1 s.
     */
    public Duration heartbeatInterval() {
        return heartbeatInterval;
    }

    /**
     * A peer silent (no frame at all) for this many intervals (the longer of this side's and the peer's)
     * is declared dead. Default 3.
     */
    public int missedHeartbeats() {
        return missedHeartbeats;
    }

    /** Supplies the opaque heartbeat payload (e.g. load report); called on I/O threads. Default empty. */
    public Supplier<byte[]> heartbeatPayload() {
        return heartbeatPayload;
    }

    /** First reconnection delay. Default 50 ms. */
    public Duration reconnectInitialDelay() {
        return reconnectInitialDelay;
    }

    /** Cap of the exponential reconnection delay. Default 5 s. */
    public Duration reconnectMaxDelay() {
        return reconnectMaxDelay;
    }

    /** TCP connect timeout. Default 2 s. */
    public Duration connectTimeout() {
        return connectTimeout;
    }

    /** Channel becomes writable again below this many pending bytes. Default 256 KiB. */
    public int writeBufferLowWaterMark() {
        return writeBufferLowWaterMark;
    }

    /** Channel becomes unwritable (speculative sends dropped) above this. Default 1 MiB. */
    public int writeBufferHighWaterMark() {
        return writeBufferHighWaterMark;
    }

    /** Pending outbound bytes past which a reliable send closes the connection as too slow. Default 64 MiB. */
    public long reliableQueueLimitBytes() {
        return reliableQueueLimitBytes;
    }

    /** I/O threads per server or client. Default 1. */
    public int ioThreads() {
        return ioThreads;
    }

    /**
     * How long a send from a thread other than the connection's event loop may wait for others to
     * join its batch (one write task and one flush for all of them) before the batch is written.
     * Default 0: the batch is written as soon as the event loop runs its drain task, which lets the
     * sends that arrive meanwhile join without adding latency; at most {@link #MAX_SEND_LINGER}. A
     * batch lingers only on a busy link, one whose last batch was written less than a linger before
     * it starts: a message on an idle link goes at once. A batch past 64 KiB is written at once
     * whatever the linger.
     */
    public Duration sendLinger() {
        return sendLinger;
    }

    @Override
    public String toString() {
        return "TransportConfig{nodeId=" + nodeId + ", clusterSecret="
            + (clusterSecret == null ? "none" : "<" + clusterSecret.length + " bytes>") + ", nodeKey=<32 bytes>"
            + ", maxFrameSize=" + maxFrameSize + ", preAuthMaxFrameSize=" + preAuthMaxFrameSize
            + ", maxPendingHandshakes=" + maxPendingHandshakes + ", frameProtection=" + frameProtection
            + ", handshakeTimeout=" + handshakeTimeout
            + ", heartbeatInterval=" + heartbeatInterval + ", missedHeartbeats=" + missedHeartbeats
            + ", reconnectInitialDelay=" + reconnectInitialDelay + ", reconnectMaxDelay=" + reconnectMaxDelay
            + ", connectTimeout=" + connectTimeout + ", writeBufferLowWaterMark=" + writeBufferLowWaterMark
            + ", writeBufferHighWaterMark=" + writeBufferHighWaterMark
            + ", reliableQueueLimitBytes=" + reliableQueueLimitBytes + ", ioThreads=" + ioThreads
            + ", sendLinger=" + sendLinger + '}';
    }

    /**
     * Mutable builder; validation happens in {@link #build()}.
     *
     * <p>Thread-safety: not thread-safe.
     */
    public static final class Builder {
        private String nodeId;
        private byte[] clusterSecret;
        private byte[] nodeKey;
        private int maxFrameSize = DEFAULT_MAX_FRAME_SIZE;
        private int preAuthMaxFrameSize = 4096;
        private int maxPendingHandshakes = 64;
        private FrameProtection frameProtection = FrameProtection.AUTHENTICATED;
        private Duration handshakeTimeout = Duration.ofSeconds(5);
        private Duration heartbeatInterval = Duration.ofSeconds(1);
        private int missedHeartbeats = 3;
        private Supplier<byte[]> heartbeatPayload = () -> EMPTY;
        private Duration reconnectInitialDelay = Duration.ofMillis(50);
        private Duration reconnectMaxDelay = Duration.ofSeconds(5);
        private Duration connectTimeout = Duration.ofSeconds(2);
        private int writeBufferLowWaterMark = 256 * 1024;
        private int writeBufferHighWaterMark = 1024 * 1024;
        private long reliableQueueLimitBytes = 64L * 1024 * 1024;
        private int ioThreads = 1;
        private Duration sendLinger = Duration.ZERO;

        private Builder() {
        }

        public Builder nodeId(String v) { nodeId = v; return this; }

        /** The cluster secret (>= 16 bytes): required to serve; a client may give its {@link #nodeKey} instead. */
        public Builder clusterSecret(byte[] v) { clusterSecret = v == null ? null : v.clone(); return this; }

        /** This node's own key (32 bytes, {@link TransportConfig#deriveNodeKey}), for a client without the cluster secret. */
        public Builder nodeKey(byte[] v) { nodeKey = v == null ? null : v.clone(); return this; }

        public Builder maxFrameSize(int v) { maxFrameSize = v; return this; }

        /** Largest frame before authentication (512..64 KiB). Default 4 KiB. */
        public Builder preAuthMaxFrameSize(int v) { preAuthMaxFrameSize = v; return this; }

        /** Connections allowed to be waiting for their handshake at once, per server (1..65,536). Default 64. */
        public Builder maxPendingHandshakes(int v) { maxPendingHandshakes = v; return this; }

        /** Link protection (sealed records) after the handshake. Default {@link FrameProtection#AUTHENTICATED}. */
        public Builder frameProtection(FrameProtection v) { frameProtection = v; return this; }

        public Builder handshakeTimeout(Duration v) { handshakeTimeout = v; return this; }

        public Builder heartbeatInterval(Duration v) { heartbeatInterval = v; return this; }

        public Builder missedHeartbeats(int v) { missedHeartbeats = v; return this; }

        public Builder heartbeatPayload(Supplier<byte[]> v) { heartbeatPayload = v; return this; }

        public Builder reconnectInitialDelay(Duration v) { reconnectInitialDelay = v; return this; }

        public Builder reconnectMaxDelay(Duration v) { reconnectMaxDelay = v; return this; }

        public Builder connectTimeout(Duration v) { connectTimeout = v; return this; }

        public Builder writeBufferWaterMarks(int low, int high) {
            writeBufferLowWaterMark = low;
            writeBufferHighWaterMark = high;
            return this;
        }

        public Builder reliableQueueLimitBytes(long v) { reliableQueueLimitBytes = v; return this; }

        public Builder ioThreads(int v) { ioThreads = v; return this; }

        /** See {@link TransportConfig#sendLinger()}: 0..{@link #MAX_SEND_LINGER}. Default 0. */
        public Builder sendLinger(Duration v) { sendLinger = v; return this; }

        /** Validates and builds. @throws IllegalArgumentException naming the first bad setting. */
        public TransportConfig build() {
            int idLen = nodeId == null ? 0 : nodeId.getBytes(StandardCharsets.UTF_8).length;
            check(idLen >= 1 && idLen <= 255, "nodeId", nodeId, "1..255 UTF-8 bytes");
            check(clusterSecret != null || nodeKey != null, "clusterSecret", null,
                ">= " + MIN_SECRET_LENGTH + " bytes, or a nodeKey");
            check(clusterSecret == null || clusterSecret.length >= MIN_SECRET_LENGTH, "clusterSecret",
                clusterSecret == null ? null : "<" + clusterSecret.length + " bytes>",
                ">= " + MIN_SECRET_LENGTH + " bytes");
            check(nodeKey == null || nodeKey.length == 32, "nodeKey", nodeKey == null ? null : "<" + nodeKey.length
                + " bytes>", "32 bytes");
            check(nodeKey == null || clusterSecret == null || java.security.MessageDigest.isEqual(nodeKey,
                deriveNodeKey(clusterSecret, nodeId)), "nodeKey", "<32 bytes>", "the key the cluster secret derives for "
                + "nodeId=" + nodeId + ", or no cluster secret");
            check(maxFrameSize >= 1024 && maxFrameSize <= (1 << 30), "maxFrameSize", maxFrameSize,
                "1024..2^30");
            check(preAuthMaxFrameSize >= 512 && preAuthMaxFrameSize <= 65536 && preAuthMaxFrameSize <= maxFrameSize,
                "preAuthMaxFrameSize", preAuthMaxFrameSize, "512..65536 and <= maxFrameSize");
            check(maxPendingHandshakes >= 1 && maxPendingHandshakes <= 65536, "maxPendingHandshakes",
                maxPendingHandshakes, "1..65536");
            check(frameProtection != null, "frameProtection", null, "NONE, AUTHENTICATED or ENCRYPTED");
            positive("handshakeTimeout", handshakeTimeout);
            check(heartbeatInterval != null && heartbeatInterval.compareTo(Duration.ofMillis(1)) >= 0
                && heartbeatInterval.compareTo(Duration.ofHours(1)) <= 0, "heartbeatInterval", heartbeatInterval,
                "1 ms..1 h");
            check(missedHeartbeats >= 1 && missedHeartbeats <= 1000, "missedHeartbeats", missedHeartbeats,
                "1..1000");
            check(heartbeatPayload != null, "heartbeatPayload", null, "non-null supplier");
            positive("reconnectInitialDelay", reconnectInitialDelay);
            positive("reconnectMaxDelay", reconnectMaxDelay);
            check(reconnectMaxDelay.compareTo(reconnectInitialDelay) >= 0, "reconnectMaxDelay",
                reconnectMaxDelay, ">= reconnectInitialDelay=" + reconnectInitialDelay);
            positive("connectTimeout", connectTimeout);
            check(writeBufferLowWaterMark > 0, "writeBufferLowWaterMark", writeBufferLowWaterMark, "> 0");
            check(writeBufferHighWaterMark > writeBufferLowWaterMark, "writeBufferHighWaterMark",
                writeBufferHighWaterMark, "> writeBufferLowWaterMark=" + writeBufferLowWaterMark);
            check(reliableQueueLimitBytes > writeBufferHighWaterMark, "reliableQueueLimitBytes",
                reliableQueueLimitBytes, "> writeBufferHighWaterMark=" + writeBufferHighWaterMark);
            check(ioThreads >= 1 && ioThreads <= 256, "ioThreads", ioThreads, "1..256");
            check(sendLinger != null && !sendLinger.isNegative() && sendLinger.compareTo(MAX_SEND_LINGER) <= 0,
                "sendLinger", sendLinger, "0.." + MAX_SEND_LINGER.toMillis() + " ms");
            return new TransportConfig(this);
        }

        private static void positive(String name, Duration d) {
            check(d != null && !d.isNegative() && !d.isZero(), name, d, "a positive duration");
        }

        private static void check(boolean ok, String name, Object value, String expected) {
            if (!ok) {
                String v = value instanceof byte[] a ? Arrays.toString(a) : Objects.toString(value);
                throw new IllegalArgumentException(name + "=" + v + " (expected: " + expected + ")");
            }
        }
    }
}
