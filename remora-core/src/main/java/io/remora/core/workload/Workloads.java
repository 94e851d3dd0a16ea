package io.remora.core.workload;

import java.util.List;

/**
 * Seeded, reproducible workload generators over the built-in engine. The same arguments give the
 * same genesis and the same signed transactions (keys come from {@code Ed25519KeyPair.generate}
 * over the seeded generator). Take a finite {@link Workload} with {@code generator.take(n)}, or
 * drive {@link WorkloadGenerator#next()} for open-loop traffic.
 *
 * <p>Generators whose transactions have owned inputs execute each transaction on a private shadow
 * state as they generate it, so the references are exact if consensus keeps generation order;
 * in another order, some transactions fail with STALE_OWNED_INPUT, deterministically.
 */
public final class Workloads {
    private Workloads() {
    }

    /**
     * Conflict-free payments: {@code accounts} (>= 2) each own one wallet coin; round-robin, account
     * {@code i mod accounts} splits 1..1000 units to a random other account. Within any window of
     * {@code accounts} consecutive transactions no two touch the same object.
     */
    public static WorkloadGenerator transfers(long seed, int accounts) {
        return new TransferGenerator(seed, accounts);
    }

    /**
     * Random coin traffic for conservation checks: {@code accounts} senders with two coins each;
     * 30% whole-coin transfers, 40% splits (1 in 20 overdrawn: aborts 1001), 30% merges of 2..4 coins.
     */
    public static WorkloadGenerator coinOps(long seed, int accounts) {
        return new CoinOpsGenerator(seed, accounts);
    }

    /**
     * Pilotfish Fib-N: {@code accounts} each own an accumulator; round-robin {@code compute::fib(n)}.
     * {@code n} (0..10^9) sets the cost per transaction, about 1 ns per iteration.
     */
    public static WorkloadGenerator fib(long seed, int accounts, long n) {
        return new FibGenerator(seed, accounts, n);
    }

    /**
     * Contention: increments of {@code k} shared counters chosen by Zipf({@code theta}); theta 0 is
     * uniform, 0.99 YCSB-like hot spots.
     */
    public static WorkloadGenerator sharedCounters(long seed, int k, double theta) {
        return new CounterGenerator(seed, k, theta);
    }

    /**
     * A compute-heavy hot spot: {@code compute::fib(n)} on {@code k} shared accumulators chosen by
     * Zipf({@code theta}); the transactions on one accumulator form a chain.
     */
    public static WorkloadGenerator hotCompute(long seed, int k, double theta, long n) {
        return new HotComputeGenerator(seed, k, theta, n);
    }

    /** Swaps on {@code pools} hot shared AMM pools by 16 traders paying from owned coins. */
    public static WorkloadGenerator amm(long seed, int pools) {
        return new AmmGenerator(seed, pools);
    }

    /**
     * Dynamic children: put 50% / get 30% / remove 20% on {@code registries} shared registries with
     * {@code keys} possible keys each; entries are read and written without being declared.
     */
    public static WorkloadGenerator registry(long seed, int registries, int keys) {
        return new RegistryGenerator(seed, registries, keys);
    }

    /** YCSB workload A: {@code records} 100-byte records, 50% read / 50% update, Zipf 0.99. */
    public static WorkloadGenerator ycsbA(long seed, int records) {
        return new YcsbGenerator("ycsbA(records=" + records + ")", seed, records, 0.99, 0.5);
    }

    /** YCSB workload B: {@code records} 100-byte records, 95% read / 5% update, Zipf 0.99. */
    public static WorkloadGenerator ycsbB(long seed, int records) {
        return new YcsbGenerator("ycsbB(records=" + records + ")", seed, records, 0.99, 0.95);
    }

    /** Items of {@link #tpcc(long, int)}. */
    public static final int TPCC_ITEMS = 100;
    /** Customers per district of {@link #tpcc(long, int)}. */
    public static final int TPCC_CUSTOMERS = 30;

    /**
     * TPC-C NewOrder (51%) and Payment (49%) on {@code warehouses} (>= 1) warehouses of 10
     * districts, {@value #TPCC_CUSTOMERS} customers per district and {@value #TPCC_ITEMS} items:
     * warehouses and districts are the shared hot spots (W = 1..4 is the contended case); each
     * order and its lines are dynamic children created under the district. See
     * {@link io.remora.core.engine.TpccProgram}; the mix and the random choices are those of
     * {@link #tpcc(long, int, int, int)}.
     */
    public static WorkloadGenerator tpcc(long seed, int warehouses) {
        return tpcc(seed, warehouses, TPCC_ITEMS, TPCC_CUSTOMERS);
    }

    /**
     * TPC-C as {@link #tpcc(long, int)} with {@code items} items (stock per warehouse and item) and
     * {@code customers} customers per district. Warehouse and district uniform; customers and
     * items by NURand with A scaled to the counts; 5..15 distinct items per order, 1% of lines
     * supplied by another warehouse (when W > 1), 1% of orders roll back on an unused item;
     * payments of 1.00..5000.00, 15% by a customer of another warehouse (when W > 1).
     */
    public static WorkloadGenerator tpcc(long seed, int warehouses, int items, int customers) {
        return new TpccGenerator(seed, warehouses, items, customers);
    }

    /**
     * Precompile-heavy: {@code accounts} each own a digest object; round-robin, 80% hash 64 random
     * bytes {@code rounds} (1..10000) times with the SHA-256 precompile, 20% verify an Ed25519
     * signature in a contract. Hinted re-execution reuses both precompiles' outputs.
     */
    public static WorkloadGenerator hashes(long seed, int accounts, int rounds) {
        return new HashGenerator(seed, accounts, rounds);
    }

    /**
     * The demo mix: 50% conflict-free transfers among 64 accounts, 30% increments of 16 counters
     * with Zipf 0.99, 20% registry operations on 4 registries of 64 keys.
     */
    public static WorkloadGenerator mixed(long seed) {
        return new MixedGenerator("mixed", seed, List.of(
                transfers(seed ^ 0x1L, 64),
                sharedCounters(seed ^ 0x2L, 16, 0.99),
                registry(seed ^ 0x3L, 4, 64)), new double[] {0.5, 0.3, 0.2});
    }
}
