package io.remora.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.HexFormat;
import org.junit.jupiter.api.Test;

class Bytes32Test {
    @Test
    void shouldWriteTheWordsBigEndianAtTheOffset() {
        String hex = "0102030405060708" + "1112131415161718" + "a1a2a3a4a5a6a7a8" + "f1f2f3f4f5f6f7ff";
        Digest d = Digest.fromHex(hex);
        assertArrayEquals(HexFormat.of().parseHex(hex), d.toBytes());
        assertEquals(hex, d.toHex());
        byte[] dst = new byte[40];
        d.writeTo(dst, 5);
        assertEquals("0000000000" + hex + "000000", HexFormat.of().formatHex(dst));
        assertEquals(d, Digest.wrap(dst, 5));
        assertThrows(IndexOutOfBoundsException.class, () -> d.writeTo(dst, 9));
    }
}
