package io.remora.core.workload;

import io.remora.core.Ed25519KeyPair;
import io.remora.core.InputObject;
import io.remora.core.ObjectId;
import io.remora.core.Transaction;
import io.remora.core.engine.CoinProgram;
import java.util.List;

/**
 * Conflict-free payments (Pilotfish's first workload): account {@code i mod A} pays a small amount
 * from its wallet coin to another account ({@code coin::split}), so a wallet is reused only after
 * every other account has sent once.
 */
final class TransferGenerator extends BaseGenerator {
    static final long WALLET_BALANCE = 1_000_000_000_000L;
    private final List<Ed25519KeyPair> accounts;
    private final ObjectId[] wallets;
    private long count;

    TransferGenerator(long seed, int accounts) {
        super("transfers(accounts=" + accounts + ")", seed);
        requirePositive("accounts", accounts);
        if (accounts < 2) {
            throw new IllegalArgumentException("accounts=" + accounts + " (expected: >= 2)");
        }
        this.accounts = newKeys(accounts);
        this.wallets = new ObjectId[accounts];
        for (int i = 0; i < accounts; i++) {
            wallets[i] = newId();
            addGenesis(CoinProgram.genesisCoin(wallets[i], this.accounts.get(i).address(), WALLET_BALANCE));
        }
        startShadow();
    }

    @Override
    public Transaction next() {
        int a = (int) (count++ % accounts.size());
        int to = (a + 1 + random.nextInt(accounts.size() - 1)) % accounts.size();
        long amount = 1 + random.nextInt(1000);
        return sign(accounts.get(a), DEFAULT_GAS, List.of(InputObject.owned(shadow().ref(wallets[a]))),
                CoinProgram.NAME, "split", CoinProgram.splitArgs(amount, accounts.get(to).address()));
    }
}
