package io.remora.bench.harness;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.remora.transport.FrameProtection;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The pre-executors' heap grows with the state they will hold: genesis plus what a point creates. */
class PreExecutorProcessesTest {
    @Test
    void shouldSizeTheHeapForTheGenesisAndTheTransactionsOfAPoint() throws Exception {
        try (PreExecutorProcesses p = new PreExecutorProcesses()) {
            assertEquals("-Xmx512m", p.maxHeap(), "the default");
            p.heapFor(0, 0);
            assertEquals("-Xmx512m", p.maxHeap());
            p.heapFor(1_000_000, 0);
            assertEquals("-Xmx2465m", p.maxHeap(), "2 KiB per genesis object");
            p.heapFor(1_000, 984_000); // 120 s at 8,000 tx/s, with the warm-up
            assertEquals("-Xmx1474m", p.maxHeap(), "1 KiB per transaction");
            p.heapFor(100_000_000, 100_000_000);
            assertEquals("-Xmx8192m", p.maxHeap(), "capped");
        }
        try (PreExecutorProcesses injectors = PreExecutorProcesses.injectors(Path.of("results.bin"), FrameProtection.NONE)) {
            injectors.heapFor(1_000_000, 1_000_000);
            assertEquals("-Xmx3g", injectors.maxHeap(), "injectors keep their own size");
        }
    }
}
