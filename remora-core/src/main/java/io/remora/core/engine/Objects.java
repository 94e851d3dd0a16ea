package io.remora.core.engine;

import io.remora.core.ExecutionStatus;
import io.remora.core.StoredObject;
import io.remora.core.codec.WireWriter;
import io.remora.core.exec.ExecutionContext;
import io.remora.core.exec.ProgramAbort;

/** Helpers shared by the built-in programs: typed contents, argument checks. Stateless. */
final class Objects {
    private Objects() {
    }

    /** An 8-byte big-endian u64. */
    static byte[] u64(long v) {
        return new WireWriter(8).i64(v).toByteArray();
    }

    /** Reads an 8-byte u64 from an object of type {@code type}. */
    static long u64(StoredObject o, String type) {
        requireType(o, type);
        byte[] c = o.contents();
        if (c.length != 8) {
            throw new ProgramAbort(ExecutionStatus.BAD_ARGUMENTS, type + " contents of " + c.length + " bytes");
        }
        long v = 0;
        for (int i = 0; i < 8; i++) {
            v = (v << 8) | (c[i] & 0xFFL);
        }
        return v;
    }

    static void requireType(StoredObject o, String type) {
        if (o == null) {
            throw new ProgramAbort(ExecutionStatus.UNKNOWN_OBJECT, "expected a " + type + ", found nothing");
        }
        if (!o.typeTag().equals(type)) {
            throw new ProgramAbort(ExecutionStatus.BAD_ARGUMENTS,
                    "object " + o.id().toShortHex() + " is a " + o.typeTag() + " (expected: " + type + ")");
        }
    }

    /** Declared input {@code index}, which must have type {@code type}. */
    static StoredObject input(ExecutionContext ctx, int index, String type) {
        StoredObject o = ctx.input(index);
        requireType(o, type);
        return o;
    }

    static void requireInputs(ExecutionContext ctx, int atLeast, String function) {
        if (ctx.inputCount() < atLeast) {
            throw new ProgramAbort(ExecutionStatus.BAD_ARGUMENTS,
                    function + " takes " + atLeast + " input(s), got " + ctx.inputCount());
        }
    }

    static ProgramAbort unknownFunction(String program, String function) {
        return new ProgramAbort(ExecutionStatus.UNKNOWN_FUNCTION, program + "::" + function);
    }

    static ProgramAbort badArgs(String message) {
        return new ProgramAbort(ExecutionStatus.BAD_ARGUMENTS, message);
    }
}
