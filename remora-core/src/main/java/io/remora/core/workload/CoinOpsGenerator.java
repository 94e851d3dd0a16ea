package io.remora.core.workload;

import io.remora.core.Address;
import io.remora.core.Ed25519KeyPair;
import io.remora.core.Effects;
import io.remora.core.InputObject;
import io.remora.core.ObjectId;
import io.remora.core.Owner;
import io.remora.core.StoredObject;
import io.remora.core.Transaction;
import io.remora.core.engine.CoinProgram;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * Random coin traffic among a few accounts: whole-coin transfers, splits (about 1 in 20 asks for
 * more than the balance and aborts), and merges of 2 to 4 coins. Total supply is conserved. An
 * index of who owns which coin follows the shadow effects.
 */
final class CoinOpsGenerator extends BaseGenerator {
    private final List<Ed25519KeyPair> accounts;
    private final Map<Address, TreeSet<ObjectId>> owned = new HashMap<>();
    private final Map<ObjectId, Address> ownerOf = new HashMap<>();

    CoinOpsGenerator(long seed, int accounts) {
        super("coinOps(accounts=" + accounts + ")", seed);
        requirePositive("accounts", accounts);
        this.accounts = newKeys(accounts);
        for (Ed25519KeyPair k : this.accounts) {
            owned.put(k.address(), new TreeSet<>());
            for (int c = 0; c < 2; c++) {
                StoredObject coin = CoinProgram.genesisCoin(newId(), k.address(), 1_000_000 + random.nextInt(1_000_000));
                addGenesis(coin);
                track(coin.id(), k.address());
            }
        }
        startShadow();
    }

    private void track(ObjectId id, Address owner) {
        Address prev = ownerOf.put(id, owner);
        if (prev != null) {
            owned.get(prev).remove(id);
        }
        owned.computeIfAbsent(owner, a -> new TreeSet<>()).add(id);
    }

    @Override
    protected void afterShadowApply(Effects effects) {
        for (Effects.Written w : effects.written()) {
            if (w.object().owner() instanceof Owner.AddressOwner a) {
                track(w.object().id(), a.address());
            }
        }
        for (ObjectId id : effects.deleted()) {
            Address prev = ownerOf.remove(id);
            if (prev != null) {
                owned.get(prev).remove(id);
            }
        }
    }

    @Override
    public Transaction next() {
        Ed25519KeyPair sender;
        List<ObjectId> coins;
        do {
            sender = accounts.get(random.nextInt(accounts.size()));
            coins = new ArrayList<>(owned.get(sender.address()));
        } while (coins.isEmpty());
        Address to = accounts.get(random.nextInt(accounts.size())).address();
        ObjectId first = coins.get(random.nextInt(coins.size()));
        int op = random.nextInt(10);
        if (op < 3) {
            return sign(sender, DEFAULT_GAS, List.of(InputObject.owned(shadow().ref(first))), CoinProgram.NAME,
                    "transfer", CoinProgram.transferArgs(to));
        }
        if (op < 7 || coins.size() < 2) {
            long balance = CoinProgram.balance(shadow().read(first));
            long amount = random.nextInt(20) == 0 ? balance + 1 : (balance == 0 ? 0 : random.nextLong(balance + 1));
            return sign(sender, DEFAULT_GAS, List.of(InputObject.owned(shadow().ref(first))), CoinProgram.NAME,
                    "split", CoinProgram.splitArgs(amount, to));
        }
        java.util.Collections.shuffle(coins, random);
        int n = Math.min(coins.size(), 2 + random.nextInt(3));
        List<InputObject> inputs = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            inputs.add(InputObject.owned(shadow().ref(coins.get(i))));
        }
        return sign(sender, DEFAULT_GAS, inputs, CoinProgram.NAME, "merge", CoinProgram.mergeArgs());
    }
}
