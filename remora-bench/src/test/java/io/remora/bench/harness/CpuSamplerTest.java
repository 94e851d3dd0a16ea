package io.remora.bench.harness;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class CpuSamplerTest {
    @Test
    void shouldParseUtimePlusStimeAfterACommandNameWithSpaces() {
        String stat = "4242 (java (pre 1)) S 1 4242 4242 0 -1 4194560 1234 0 0 0 150 25 0 0 20 0 30 0 100 0 0";
        assertEquals((150 + 25) * 10_000_000L, CpuSampler.parseStat(stat));
    }

    @Test
    void shouldReadThisProcess() {
        assertTrue(CpuSampler.selfCpuNanos() > 0);
        assertTrue(CpuSampler.processCpuNanos(ProcessHandle.current().pid()) >= 0);
        assertEquals(-1, CpuSampler.processCpuNanos(Long.MAX_VALUE));
    }
}
