package io.remora.transport;

/**
 * What protects each frame after the handshake. Both sides announce theirs in the handshake (inside
 * its MACs, so a man in the middle cannot lower it) and the stronger one is used.
 *
 * <p>Keys are derived per connection and per direction from the client's node key and the whole
 * handshake transcript (both nonces, both node ids, both heartbeat intervals, both announced
 * protections) with HKDF-SHA256; frames carry a sequence number and an AES-256-GCM tag, so a frame
 * altered, injected, replayed, reordered or dropped on the path is detected and the connection
 * closed ({@link ProtocolException.Category#BAD_MAC}, {@link ProtocolException.Category#SEQUENCE}).
 * Layouts in {@code docs/protocol.md}.
 */
public enum FrameProtection {
    /**
     * Frames after the handshake travel as they are: authenticated at connect time only. For links
     * that are already protected (a tunnel that authenticates and encrypts) or for measuring the
     * cost of the others; never on a network an attacker can reach.
     */
    NONE,
    /** Every frame carries a sequence number and an AES-GCM tag over header and payload (GMAC); payloads readable on the wire. */
    AUTHENTICATED,
    /** As {@link #AUTHENTICATED}, and payloads encrypted with AES-256-GCM: nobody on the path reads state or transactions. */
    ENCRYPTED
}
