package io.remora.core;

import io.remora.core.codec.CodecException;
import io.remora.core.codec.WireReader;
import io.remora.core.codec.WireWriter;

/**
 * The outcome of a transaction.
 *
 * <pre>
 *  0 success
 *  1 failure | code i32 | message (u8 len + utf-8)
 * </pre>
 */
public sealed interface ExecutionStatus {
    /** Failure codes the executor itself assigns; programs use codes >= 1000 for their aborts. */
    int INVALID_SIGNATURE = 1;
    int STALE_OWNED_INPUT = 2;
    int UNKNOWN_OBJECT = 3;
    int WRONG_OWNER = 4;
    int OUT_OF_GAS = 5;
    int UNKNOWN_FUNCTION = 6;
    int BAD_ARGUMENTS = 7;
    int IMMUTABLE_WRITE = 8;
    int LIMIT_EXCEEDED = 9;
    int DELETED_INPUT = 10;
    int NOT_SHARED = 11;
    /**
     * A later copy of a transaction digest that already executed with a valid signature (in this
     * commit or an earlier one): nothing read, nothing written. See
     * {@link io.remora.core.exec.TransactionExecutor#duplicate}.
     */
    int DUPLICATE = 12;

    record Success() implements ExecutionStatus {
    }

    record Failure(int code, String message) implements ExecutionStatus {
    }

    Success SUCCESS = new Success();

    default boolean isSuccess() {
        return this instanceof Success;
    }

    /** A failure whose message is cut to at most 200 UTF-8 bytes (whole code points), so it always encodes. */
    static Failure failure(int code, String message) {
        int bytes = 0;
        int end = 0;
        while (end < message.length()) {
            int cp = message.codePointAt(end);
            int len = cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
            if (bytes + len > 200) {
                break;
            }
            bytes += len;
            end += Character.charCount(cp);
        }
        return new Failure(code, end == message.length() ? message : message.substring(0, end));
    }

    default void encode(WireWriter w) {
        switch (this) {
            case Success s -> w.u8(0);
            case Failure f -> w.u8(1).i32(f.code()).shortString("status.message", f.message());
        }
    }

    static ExecutionStatus decode(WireReader r) {
        int at = r.position();
        int tag = r.u8("status.tag");
        return switch (tag) {
            case 0 -> SUCCESS;
            case 1 -> new Failure(r.i32("status.code"), r.shortString("status.message"));
            default -> throw new CodecException(CodecException.Kind.BAD_VALUE, "status.tag", at, "tag " + tag);
        };
    }
}
