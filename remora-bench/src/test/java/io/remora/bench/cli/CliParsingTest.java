package io.remora.bench.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.remora.bench.harness.Mode;
import io.remora.bench.harness.WorkloadSpec;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class CliParsingTest {
    @Test
    void shouldParseDurations() {
        assertEquals(Duration.ofMillis(300), DurationConverter.parse("300ms"));
        assertEquals(Duration.ofSeconds(5), DurationConverter.parse("5s"));
        assertEquals(Duration.ofMillis(1500), DurationConverter.parse("1.5s"));
        assertEquals(Duration.ofMinutes(2), DurationConverter.parse("2m"));
        assertEquals(Duration.ofSeconds(7), DurationConverter.parse("PT7S"));
        assertThrows(CommandLine.TypeConversionException.class, () -> DurationConverter.parse("soon"));
    }

    @Test
    void shouldParseConfigurations() {
        assertArrayEquals(new int[] {Mode.SEQUENTIAL.ordinal(), 0}, BenchCommand.parseConfig("sequential"));
        assertArrayEquals(new int[] {Mode.PRIMARY.ordinal(), 0}, BenchCommand.parseConfig("remora-0"));
        assertArrayEquals(new int[] {Mode.REMORA.ordinal(), 3}, BenchCommand.parseConfig("Remora-3"));
        assertThrows(IllegalArgumentException.class, () -> BenchCommand.parseConfig("remora-x"));
    }

    @Test
    void shouldParseWorkloadsWithoutGeneratingThem() {
        assertEquals("fib-100k", WorkloadSpec.parse("FIB-100k").name());
        // Every workload of "--workloads all" parses (fib-1m once did not).
        for (String w : BenchCommand.ALL_WORKLOADS.split(",")) {
            assertEquals(w, WorkloadSpec.parse(w).name());
        }
        assertEquals("counters-0.9", WorkloadSpec.parse("counters-0.9").name());
        assertThrows(IllegalArgumentException.class, () -> WorkloadSpec.parse("counters-x"));
        assertThrows(IllegalArgumentException.class, () -> WorkloadSpec.parse("fib-"));
        assertThrows(IllegalArgumentException.class, () -> WorkloadSpec.parse("nope"));
    }
}
