package io.remora.bench.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.remora.bench.harness.LatencySummary;
import io.remora.bench.harness.PointResult;
import io.remora.bench.harness.ResultWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ScaleOutModelTest {
    @TempDir
    Path dir;

    /**
     * Points drawn from known costs (with seeded noise of +-2%) go through the bench's own CSV writer
     * and the model's reader; the fit must recover the costs and the prediction must follow them.
     */
    @Test
    void shouldRecoverKnownCostsFromABenchCsvAndPredictFromThem() throws Exception {
        long seed = 0x5ca1e0L;
        System.out.println("ScaleOutModelTest seed=" + seed);
        SplittableRandom rnd = new SplittableRandom(seed);
        double fPre = 0.05;
        double cPre = 150e-6;
        double fPrimary = 0.10;
        double cAdopt = 40e-6;
        double cLocal = 200e-6;
        double cPerPeer = 5e-6;
        List<PointResult> points = new ArrayList<>();
        for (int k = 1; k <= 2; k++) {
            for (double rate : new double[] {500, 1000, 1500, 2000, 3000}) {
                double t = rate * (0.99 + 0.01 * rnd.nextDouble());
                // Overloaded at 3000: the pre-executors keep up with 60% only, the primary executes the rest.
                double a = rate < 3000 ? 0.98 : 0.6;
                List<Double> kids = new ArrayList<>();
                for (int i = 0; i < k; i++) {
                    kids.add((fPre + cPre * t / k) * noise(rnd));
                }
                double primary = (fPrimary + t * (cAdopt * a + cLocal * (1 - a) + k * cPerPeer)) * noise(rnd);
                points.add(point("transfers", k, rate, t, a, primary, kids, false));
            }
        }
        // A saturated point must not enter the fit (its CPU is that of a run that stopped early).
        points.add(point("transfers", 2, 9000, 3500, 0.5, 0.01, List.of(0.01, 0.01), true));
        Path csv = dir.resolve("results.csv");
        Files.writeString(csv, ResultWriter.csv(points));

        List<ScaleOutModel.Point> read = ScaleOutModel.readCsv(csv);
        assertEquals(points.size(), read.size());
        ScaleOutModel.Calibration c = ScaleOutModel.calibrate(read).get("transfers");
        assertEquals(10, c.points());
        assertEquals(cPre, c.cPre(), 0.05 * cPre);
        assertEquals(fPre, c.fPre(), 0.03);
        assertEquals(cAdopt, c.cAdopt(), 0.25 * cAdopt);
        assertEquals(cLocal, c.cLocal(), 0.15 * cLocal);
        assertEquals(cPerPeer, c.cPerPeer(), 0.6 * cPerPeer);

        // One pre-executor machine: it pre-executes P tx/s, the primary's spare CPU executes more itself.
        ScaleOutModel.Prediction one = c.predict(1, 2, 16, 1e9);
        double p = (2 - c.fPre()) / c.cPre();
        assertEquals(p, one.preCapacity(), 1e-6);
        assertTrue(one.bound().startsWith("pre-executors"), one.bound());
        double budget = 16 - c.fPrimary();
        assertEquals(p + (budget - p * (c.cAdopt() + c.cPerPeer())) / (c.cLocal() + c.cPerPeer()), one.throughput(), 1e-6);
        // Many: everything pre-executed, the primary's adoption cost bounds it.
        ScaleOutModel.Prediction many = c.predict(64, 2, 16, 1e9);
        assertTrue(many.bound().startsWith("primary CPU"), many.bound());
        assertEquals(budget / (c.cAdopt() + 64 * c.cPerPeer()), many.throughput(), 1e-6);
        assertEquals(1.0, many.preShare(), 1e-9);
        assertEquals("primary serial stages", c.predict(64, 2, 1e6, 1000).bound());
        assertEquals(1000, c.predict(64, 2, 1e6, 1000).throughput(), 1e-9);
        // k pre-executors sharing one core pay k fixed parts out of it.
        assertTrue(c.predictShared(2, 1, 16, 1e9).throughput() < c.predictShared(1, 1, 16, 1e9).throughput());

        Map<Integer, ScaleOutModel.Ceiling> ceilings = ScaleOutModel.measuredCeilings(read).get("transfers");
        assertEquals(new ScaleOutModel.Ceiling(3500, true), ceilings.get(2), "the saturated point's throughput is the ceiling it reached");
        assertEquals(3000, ceilings.get(1).throughput(), 0.01 * 3000);
        assertFalse(ceilings.get(1).reached(), "remora-1 carried every rate offered (within 1%): its ceiling is not known");
        // A point short of its offer by more than 5% shows the ceiling even without saturating.
        List<ScaleOutModel.Point> shortOne = new ArrayList<>(read);
        shortOne.add(new ScaleOutModel.Point("transfers", "remora-1", 1, 5000, 4000, 1, List.of(1.0), 0.9, false));
        assertTrue(ScaleOutModel.measuredCeilings(shortOne).get("transfers").get(1).reached());
        assertEquals(4000, ScaleOutModel.measuredCeilings(shortOne).get("transfers").get(1).throughput(), 1e-9);
    }

    @Test
    void shouldSplitQuotedCsvCells() {
        assertEquals(List.of("a", "b, \"c\"", "", "d"), ScaleOutModel.splitCsv("a,\"b, \"\"c\"\"\",,d"));
    }

    private static double noise(SplittableRandom rnd) {
        return 1 + 0.04 * (rnd.nextDouble() - 0.5);
    }

    private static PointResult point(String workload, int k, double offered, double t, double adopt, double cpuPrimary,
                                     List<Double> kids, boolean saturated) {
        LatencySummary l = new LatencySummary(100, 1, 1, 2, 4, 5);
        return new PointResult(workload, "remora-" + k, k, offered, t, (long) t * 10, 300, l, l, adopt, 98, 2,
                cpuPrimary, kids, saturated, true, "ab", "ab", PointResult.Breakdown.NONE, "");
    }
}
