package io.remora.core.codec;

import io.remora.core.Address;
import io.remora.core.Digest;
import io.remora.core.ObjectId;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * A bounds-checked cursor over a {@link ByteBuffer} (heap or direct, e.g. a network frame's
 * payload, read in place). Every read checks the remaining length first and throws
 * {@link CodecException} naming the field; counts and lengths are checked against a limit before
 * anything is allocated. All integers are big-endian. Reads are absolute: the buffer's position
 * and limit are neither used nor changed.
 *
 * <p>Not thread-safe; one reader per decode.
 */
public final class WireReader {
    private final ByteBuffer buffer;
    private final int start;
    private final int end;
    private int position;

    /** Reads {@code length} bytes from absolute {@code offset} of {@code buffer}. */
    public WireReader(ByteBuffer buffer, int offset, int length) {
        if (offset < 0 || length < 0 || offset > buffer.capacity() - length) {
            throw new CodecException(CodecException.Kind.TRUNCATED, "buffer", offset,
                    "range [" + offset + ", +" + length + ") outside capacity " + buffer.capacity());
        }
        this.buffer = buffer.order() == ByteOrder.BIG_ENDIAN ? buffer : buffer.duplicate().order(ByteOrder.BIG_ENDIAN);
        this.start = offset;
        this.end = offset + length;
        this.position = offset;
    }

    public WireReader(byte[] bytes) {
        this(ByteBuffer.wrap(bytes), 0, bytes.length);
    }

    public WireReader(byte[] bytes, int offset, int length) {
        this(ByteBuffer.wrap(bytes), offset, length);
    }

    /** Offset relative to the start of the decoded range. */
    public int position() {
        return position - start;
    }

    public int remaining() {
        return end - position;
    }

    private void need(int n, String field) {
        if (n > end - position) {
            throw new CodecException(CodecException.Kind.TRUNCATED, field, position(),
                    "need " + n + " bytes, have " + (end - position));
        }
    }

    public byte u8Raw(String field) {
        need(1, field);
        return buffer.get(position++);
    }

    public int u8(String field) {
        return u8Raw(field) & 0xFF;
    }

    public int u16(String field) {
        need(2, field);
        int v = buffer.getShort(position) & 0xFFFF;
        position += 2;
        return v;
    }

    public int i32(String field) {
        need(4, field);
        int v = buffer.getInt(position);
        position += 4;
        return v;
    }

    public long i64(String field) {
        need(8, field);
        long v = buffer.getLong(position);
        position += 8;
        return v;
    }

    /** A long that must be in [min, max]. */
    public long i64InRange(String field, long min, long max) {
        int at = position();
        long v = i64(field);
        if (v < min || v > max) {
            throw new CodecException(CodecException.Kind.BAD_VALUE, field, at,
                    field + "=" + v + " (expected: " + min + ".." + max + ")");
        }
        return v;
    }

    public boolean bool(String field) {
        int at = position();
        int v = u8(field);
        if (v > 1) {
            throw new CodecException(CodecException.Kind.BAD_VALUE, field, at, "boolean byte " + v);
        }
        return v == 1;
    }

    /** A u32 count checked against {@code max} before the caller allocates for it. */
    public int count(String field, int max) {
        int at = position();
        int n = i32(field);
        if (n < 0 || n > max) {
            throw new CodecException(CodecException.Kind.LIMIT_EXCEEDED, field, at,
                    field + "=" + Integer.toUnsignedString(n) + " (expected: 0.." + max + ")");
        }
        return n;
    }

    /** A u16 count checked against {@code max}. */
    public int count16(String field, int max) {
        int at = position();
        int n = u16(field);
        if (n > max) {
            throw new CodecException(CodecException.Kind.LIMIT_EXCEEDED, field, at,
                    field + "=" + n + " (expected: 0.." + max + ")");
        }
        return n;
    }

    /** A u32-length-prefixed byte string of at most {@code max} bytes. */
    public byte[] bytes(String field, int max) {
        int n = count(field + ".length", max);
        need(n, field);
        byte[] out = new byte[n];
        buffer.get(position, out);
        position += n;
        return out;
    }

    /** Exactly {@code n} raw bytes. */
    public byte[] fixed(String field, int n) {
        need(n, field);
        byte[] out = new byte[n];
        buffer.get(position, out);
        position += n;
        return out;
    }

    /**
     * A u8-length-prefixed UTF-8 string. Malformed UTF-8 (overlong forms, surrogates, truncated
     * sequences) is refused with {@code BAD_VALUE} rather than replaced: a lossy decode would not
     * re-encode to the same bytes (a transaction's digest would change) and could even re-encode to
     * more than 255 bytes.
     */
    public String shortString(String field) {
        int n = u8(field + ".length");
        need(n, field);
        boolean ascii = true;
        for (int i = 0; i < n; i++) {
            if (buffer.get(position + i) < 0) {
                ascii = false;
                break;
            }
        }
        String s;
        if (ascii) {
            byte[] b = new byte[n];
            buffer.get(position, b);
            s = new String(b, StandardCharsets.ISO_8859_1);
        } else {
            byte[] b = new byte[n];
            buffer.get(position, b);
            try {
                s = StandardCharsets.UTF_8.newDecoder()
                        .onMalformedInput(CodingErrorAction.REPORT)
                        .onUnmappableCharacter(CodingErrorAction.REPORT)
                        .decode(ByteBuffer.wrap(b)).toString();
            } catch (CharacterCodingException e) {
                throw new CodecException(CodecException.Kind.BAD_VALUE, field, position(), "malformed UTF-8");
            }
        }
        position += n;
        return s;
    }

    public ObjectId objectId(String field) {
        need(32, field);
        ObjectId id = ObjectId.read(buffer, position);
        position += 32;
        return id;
    }

    public Address address(String field) {
        need(32, field);
        Address a = Address.read(buffer, position);
        position += 32;
        return a;
    }

    public Digest digest(String field) {
        need(32, field);
        Digest d = Digest.read(buffer, position);
        position += 32;
        return d;
    }

    /** Reads and checks the protocol version byte. */
    public void version(String field) {
        int at = position();
        int v = u8(field);
        if (v != WireWriter.PROTOCOL_VERSION) {
            throw new CodecException(CodecException.Kind.BAD_VERSION, field, at,
                    "version " + v + " (expected: " + WireWriter.PROTOCOL_VERSION + ")");
        }
    }

    /** Fails if any byte is left: a complete message must use its whole frame. */
    public void expectEnd(String message) {
        if (position != end) {
            throw new CodecException(CodecException.Kind.TRAILING_BYTES, message, position(),
                    (end - position) + " trailing bytes");
        }
    }

    static String utf8(byte[] b) {
        return new String(b, StandardCharsets.UTF_8);
    }
}
