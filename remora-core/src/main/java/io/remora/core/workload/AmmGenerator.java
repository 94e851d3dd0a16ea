package io.remora.core.workload;

import io.remora.core.Ed25519KeyPair;
import io.remora.core.InputObject;
import io.remora.core.ObjectId;
import io.remora.core.Transaction;
import io.remora.core.engine.AmmProgram;
import io.remora.core.engine.CoinProgram;
import java.util.List;

/**
 * Swaps on {@code pools} constant-product pools (reserves 10^12 each, 30 bps fee) by 16 traders
 * taking turns, each paying from its own coin; the pool is uniform at random, the direction random,
 * minOut 99% of the quote in generation order (so in that order every swap succeeds).
 */
final class AmmGenerator extends BaseGenerator {
    private final List<Ed25519KeyPair> traders;
    private final ObjectId[] coins;
    private final ObjectId[] pools;
    private long count;

    AmmGenerator(long seed, int pools) {
        super("amm(pools=" + pools + ")", seed);
        requirePositive("pools", pools);
        this.traders = newKeys(16);
        this.coins = new ObjectId[traders.size()];
        for (int i = 0; i < coins.length; i++) {
            coins[i] = newId();
            addGenesis(CoinProgram.genesisCoin(coins[i], traders.get(i).address(), 1_000_000_000_000L));
        }
        this.pools = new ObjectId[pools];
        for (int i = 0; i < pools; i++) {
            this.pools[i] = newId();
            addGenesis(AmmProgram.genesisPool(this.pools[i], new AmmProgram.Pool(1_000_000_000_000L, 1_000_000_000_000L, 30)));
        }
        startShadow();
    }

    @Override
    public Transaction next() {
        int t = (int) (count++ % traders.size());
        ObjectId pool = pools[random.nextInt(pools.length)];
        long amountIn = 1 + random.nextInt(1_000_000);
        boolean aToB = random.nextBoolean();
        long quote = AmmProgram.pool(shadow().read(pool)).amountOut(amountIn, aToB);
        return sign(traders.get(t), DEFAULT_GAS,
                List.of(InputObject.shared(pool, true), InputObject.owned(shadow().ref(coins[t]))),
                AmmProgram.NAME, "swap", AmmProgram.swapArgs(amountIn, aToB, quote * 99 / 100));
    }
}
