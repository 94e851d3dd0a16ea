package io.remora.transport;

/**
 * A peer broke the protocol or a liveness rule. The transport closes the offending connection and
 * counts the error under its {@link Category}; it never propagates to the host as a crash.
 *
 * <p>Thread-safety: immutable.
 */
public final class ProtocolException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** What went wrong. */
    public enum Category {
        /** Declared frame length exceeds the configured maximum. */
        FRAME_TOO_LARGE,
        /** Frame or message body is structurally invalid (too short, bad field lengths, reserved type). */
        MALFORMED,
        /** Unknown protocol version byte. */
        BAD_VERSION,
        /** A message other than the handshake arrived before authentication completed. */
        UNAUTHENTICATED,
        /** The peer's MAC did not verify, or the handshake sequence was violated. */
        HANDSHAKE_FAILED,
        /** The handshake did not complete within the configured timeout. */
        HANDSHAKE_TIMEOUT,
        /** The peer was silent for {@code missedHeartbeats × max(own, peer's heartbeat interval)}. */
        PEER_DEAD,
        /** Reliable traffic exceeded the reliable queue limit: the peer reads too slowly. */
        SLOW_CONSUMER,
        /** An I/O error on the socket (reset, broken pipe...). */
        IO_ERROR,
        /**
         * A protected frame's tag did not verify: altered on the path, injected by someone without
         * the connection's keys, or cut short.
         */
        BAD_MAC,
        /** A protected frame's sequence number was not the next one: replayed, reordered or a frame dropped. */
        SEQUENCE,
        /** Refused at once: {@code maxPendingHandshakes} connections were already waiting to authenticate. */
        HANDSHAKE_LIMIT
    }

    private final Category category;

    public ProtocolException(Category category, String message) {
        super(category + ": " + message, null, false, false);
        this.category = category;
    }

    public ProtocolException(Category category, String message, Throwable cause) {
        super(category + ": " + message, cause, false, false);
        this.category = category;
    }

    public Category category() {
        return category;
    }
}
