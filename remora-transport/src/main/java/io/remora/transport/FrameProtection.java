package io.remora.transport;

/**
 * What protects each frame after the handshake. Both sides announce theirs in the handshake (inside
 * its MACs, so a man in the middle cannot lower it) and the stronger one is used.
 *
 * <p>Keys are derived per connection and per direction from the client's node key and the whole
 * handshake transcript (both nonces, both node ids, both heartbeat intervals, both announced
 * protections) with HKDF-SHA256; frames travel in sealed records (the frames of one flush, up to
 * 16 KiB) with a sequence number and a 16-byte AEAD tag, so a record altered, injected, replayed,
 * reordered or dropped on the path is detected and the connection closed
 * ({@link ProtocolException.Category#BAD_MAC}, {@link ProtocolException.Category#SEQUENCE}).
 * Layouts and the choice of ciphers in {@code docs/protocol.md}; {@code AUTHENTICATED} and
 * {@code ENCRYPTED} cost about the same on JDK 21+ with AES and AVX-512 instructions.
 */
public enum FrameProtection {
    /**
     * Frames after the handshake travel as they are: authenticated at connect time only. For links
     * that are already protected (a tunnel that authenticates and encrypts) or for measuring the
     * cost of the others; never on a network an attacker can reach.
     */
    NONE,
    /**
     * Every record carries a sequence number and a ChaCha20-Poly1305 tag over all its bytes (no
     * plaintext: a Poly1305 MAC); payloads readable on the wire, e.g. in packet captures.
     */
    AUTHENTICATED,
    /**
     * Records encrypted and authenticated with AES-256-GCM (the header and sequence number as
     * associated data): nobody on the path reads state, transactions or even message types.
     */
    ENCRYPTED
}
