package io.remora.core.codec;

/**
 * A decoding failure: malformed, truncated or oversized input. It names the field being decoded and
 * the byte offset where decoding stopped, and carries a {@link Kind} for metrics. Decoders throw
 * nothing else on bad input: never an index-out-of-bounds, a negative-size allocation or an OOM.
 */
public final class CodecException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** The category of a decoding failure, for counters. */
    public enum Kind {
        /** The input ended before the field did. */
        TRUNCATED,
        /** A length or count exceeds its documented limit. */
        LIMIT_EXCEEDED,
        /** A tag, enum value or flag is not one the protocol defines. */
        BAD_VALUE,
        /** The protocol version is not one this decoder reads. */
        BAD_VERSION,
        /** Bytes left over after a complete message. */
        TRAILING_BYTES
    }

    private final Kind kind;
    private final String field;
    private final int offset;

    public CodecException(Kind kind, String field, int offset, String detail) {
        super(kind + " at " + field + " (offset " + offset + "): " + detail, null, false, false);
        this.kind = kind;
        this.field = field;
        this.offset = offset;
    }

    public Kind kind() {
        return kind;
    }

    public String field() {
        return field;
    }

    public int offset() {
        return offset;
    }
}
