package io.remora.examples.ratis;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class RaftEntriesTest {
    @Test
    void shouldRoundTripABatch() {
        byte[] entry = RaftEntries.batch("v2", List.of(new byte[] {1, 2, 3}, new byte[0], new byte[] {9}));
        RaftEntries.Batch b = (RaftEntries.Batch) RaftEntries.decode(ByteBuffer.wrap(entry));
        assertEquals("v2", b.proposer());
        assertEquals(3, b.transactions().size());
        assertArrayEquals(new byte[] {1, 2, 3}, b.transactions().get(0));
        assertArrayEquals(new byte[0], b.transactions().get(1));
        assertArrayEquals(new byte[] {9}, b.transactions().get(2));
    }

    @Test
    void shouldRoundTripAnAttestation() {
        byte[] d = new byte[32];
        Arrays.fill(d, (byte) 7);
        RaftEntries.Attest a = (RaftEntries.Attest) RaftEntries.decode(ByteBuffer.wrap(RaftEntries.attest("v1", 41, d)));
        assertEquals("v1", a.validator());
        assertEquals(41, a.commit());
        assertArrayEquals(d, a.chainDigest());
    }

    @Test
    void shouldRejectEveryTruncationOfAnEntryWithATypedError() {
        byte[] entry = RaftEntries.batch("v3", List.of(new byte[] {1, 2, 3}, new byte[] {4, 5}));
        for (int n = 0; n < entry.length; n++) {
            byte[] cut = Arrays.copyOf(entry, n);
            assertThrows(IllegalArgumentException.class, () -> RaftEntries.decode(ByteBuffer.wrap(cut)), "length " + n);
        }
        byte[] attest = RaftEntries.attest("v3", 1, new byte[32]);
        assertThrows(IllegalArgumentException.class,
                () -> RaftEntries.decode(ByteBuffer.wrap(Arrays.copyOf(attest, attest.length - 1))));
    }

    @Test
    void shouldRejectAnUnknownTypeAndAnAbsurdCount() {
        assertThrows(IllegalArgumentException.class, () -> RaftEntries.decode(ByteBuffer.wrap(new byte[] {9, 1, 'x'})));
        byte[] huge = ByteBuffer.allocate(2 + 1 + 4).put((byte) 1).put((byte) 1).put((byte) 'x').putInt(Integer.MAX_VALUE).array();
        assertThrows(IllegalArgumentException.class, () -> RaftEntries.decode(ByteBuffer.wrap(huge)));
    }
}
