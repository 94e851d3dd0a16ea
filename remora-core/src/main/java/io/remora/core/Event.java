package io.remora.core;

import io.remora.core.codec.Limits;
import io.remora.core.codec.WireReader;
import io.remora.core.codec.WireWriter;
import java.util.Arrays;

/** An event a program emitted: {@code type (u8 len + utf-8) | data (u32 len + bytes, <= 4 KiB)}. */
public record Event(String type, byte[] data) {
    public void encode(WireWriter w) {
        w.shortString("event.type", type).bytes("event.data", data, Limits.MAX_EVENT_BYTES);
    }

    public static Event decode(WireReader r) {
        return new Event(r.shortString("event.type"), r.bytes("event.data", Limits.MAX_EVENT_BYTES));
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Event e && type.equals(e.type) && Arrays.equals(data, e.data);
    }

    @Override
    public int hashCode() {
        return type.hashCode() * 31 + Arrays.hashCode(data);
    }

    @Override
    public String toString() {
        return "Event(" + type + ", " + data.length + "B)";
    }
}
