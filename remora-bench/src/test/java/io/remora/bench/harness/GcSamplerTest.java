package io.remora.bench.harness;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.GarbageCollectorMXBean;
import java.lang.reflect.Proxy;
import java.util.List;
import org.junit.jupiter.api.Test;

class GcSamplerTest {
    private static GarbageCollectorMXBean bean(String name, long count, long millis) {
        return (GarbageCollectorMXBean) Proxy.newProxyInstance(GcSamplerTest.class.getClassLoader(),
                new Class<?>[] {GarbageCollectorMXBean.class}, (proxy, method, args) -> switch (method.getName()) {
                    case "getName" -> name;
                    case "getCollectionCount" -> count;
                    case "getCollectionTime" -> millis;
                    default -> throw new UnsupportedOperationException(method.getName());
                });
    }

    @Test
    void shouldCountZgcCyclesOnceAndNotTheirPauses() {
        GcSampler.Totals t = GcSampler.totals(List.of(bean("ZGC Minor Cycles", 3, 900), bean("ZGC Minor Pauses", 9, 2),
                bean("ZGC Major Cycles", 1, 3000), bean("ZGC Major Pauses", 3, 1)));
        assertEquals(new GcSampler.Totals(4, 3900), t);
    }

    @Test
    void shouldCountOtherCollectorsAndTreatUndefinedAsZero() {
        GcSampler.Totals t = GcSampler.totals(List.of(bean("G1 Young Generation", 5, 40), bean("G1 Concurrent GC", -1, -1)));
        assertEquals(new GcSampler.Totals(5, 40), t);
    }

    @Test
    void shouldSeeACollectionOfThisJvm() {
        GcSampler.Totals before = GcSampler.totals();
        System.gc();
        GcSampler.Totals ran = GcSampler.totals().minus(before);
        assertTrue(ran.cycles() >= 1, "System.gc() ran no collection: " + ran);
    }
}
