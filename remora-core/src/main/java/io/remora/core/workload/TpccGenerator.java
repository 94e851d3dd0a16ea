package io.remora.core.workload;

import io.remora.core.Ed25519KeyPair;
import io.remora.core.InputObject;
import io.remora.core.ObjectId;
import io.remora.core.StoredObject;
import io.remora.core.Transaction;
import io.remora.core.engine.TpccProgram;
import io.remora.core.engine.TpccRows;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * TPC-C NewOrder and Payment over {@code warehouses} warehouses of {@value TpccProgram#DISTRICTS}
 * districts, {@code customers} customers per district and {@code items} items (stock per warehouse
 * and item), 8 senders taking turns.
 *
 * <p>Mix: 51% NewOrder, 49% Payment (TPC-C's 45:43, normalized to the two modeled). Warehouse and
 * district uniform. Customers and items by TPC-C's NURand(A, 1, n), with A scaled down with n (the
 * largest 2^k - 1 at most n/3 for customers, n/12 for items; TPC-C's 1023 of 3000 and 8191 of
 * 100000) and C drawn once per generator. NewOrder: 5..15 distinct items, quantity 1..10, each
 * line supplied by a uniformly chosen other warehouse with probability 1% when there is one, and 1%
 * of orders end with an unused item (ITEM_NOT_FOUND: the order rolls back). Payment: 1.00..5000.00;
 * 15% by a customer of a random district of another warehouse when there is one.
 */
final class TpccGenerator extends BaseGenerator {
    private final List<Ed25519KeyPair> senders;
    private final int warehouses;
    private final int items;
    private final int customers;
    private final StoredObject catalog;
    private final ObjectId[] warehouseIds;
    private final ObjectId[][] districtIds;
    private final ObjectId[][][] customerIds;
    private final ObjectId[][] stockIds;
    private final NuRand customerRand;
    private final NuRand itemRand;
    private long count;

    TpccGenerator(long seed, int warehouses, int items, int customers) {
        super("tpcc(warehouses=" + warehouses + ", items=" + items + ", customers=" + customers + ")", seed);
        requirePositive("warehouses", warehouses);
        requirePositive("items", items);
        requirePositive("customers", customers);
        this.warehouses = warehouses;
        this.items = items;
        this.customers = customers;
        this.senders = newKeys(8);
        this.customerRand = new NuRand(customers, 3, random);
        this.itemRand = new NuRand(items, 12, random);
        this.catalog = TpccProgram.genesisCatalog(newId(), items);
        addGenesis(catalog);
        for (int i = 1; i <= items; i++) {
            addGenesis(TpccProgram.genesisItem(catalog.id(), new TpccRows.Item(i, 100 + random.nextInt(9_901))));
        }
        warehouseIds = new ObjectId[warehouses];
        districtIds = new ObjectId[warehouses][TpccProgram.DISTRICTS];
        customerIds = new ObjectId[warehouses][TpccProgram.DISTRICTS][customers];
        stockIds = new ObjectId[warehouses][items];
        for (int w = 0; w < warehouses; w++) {
            warehouseIds[w] = shared(TpccRows.WAREHOUSE, new TpccRows.Warehouse(w + 1, tax(), 30_000_000).encode());
            for (int d = 0; d < TpccProgram.DISTRICTS; d++) {
                districtIds[w][d] = shared(TpccRows.DISTRICT,
                        new TpccRows.District(w + 1, d + 1, tax(), 3_000_000, 3001).encode());
                for (int c = 0; c < customers; c++) {
                    customerIds[w][d][c] = shared(TpccRows.CUSTOMER,
                            new TpccRows.Customer(w + 1, d + 1, c + 1, random.nextInt(5_001), -1_000, 1_000, 1).encode());
                }
            }
            for (int i = 0; i < items; i++) {
                stockIds[w][i] = shared(TpccRows.STOCK, new TpccRows.Stock(w + 1, i + 1, 10 + random.nextInt(91), 0, 0, 0).encode());
            }
        }
    }

    private int tax() {
        return random.nextInt(2_001); // 0.0000..0.2000
    }

    private ObjectId shared(String type, byte[] contents) {
        ObjectId id = newId();
        addGenesis(TpccProgram.genesisShared(id, type, contents));
        return id;
    }

    @Override
    public Transaction next() {
        Ed25519KeyPair sender = senders.get((int) (count++ % senders.size()));
        int w = random.nextInt(warehouses);
        int d = random.nextInt(TpccProgram.DISTRICTS);
        return random.nextInt(100) < 51 ? newOrder(sender, w, d) : payment(sender, w, d);
    }

    private Transaction newOrder(Ed25519KeyPair sender, int w, int d) {
        int c = customerRand.next(random);
        int lineCount = Math.min(5 + random.nextInt(11), items);
        Set<Integer> chosen = new LinkedHashSet<>();
        while (chosen.size() < lineCount) {
            chosen.add(itemRand.next(random));
        }
        boolean rollback = random.nextInt(100) == 0;
        List<InputObject> inputs = new ArrayList<>(TpccProgram.NEW_ORDER_FIXED_INPUTS + lineCount);
        inputs.add(InputObject.shared(warehouseIds[w], false));
        inputs.add(InputObject.shared(districtIds[w][d], true));
        inputs.add(InputObject.shared(customerIds[w][d][c - 1], false));
        inputs.add(InputObject.owned(catalog.ref()));
        List<TpccProgram.Line> lines = new ArrayList<>(lineCount);
        int k = 0;
        for (int i : chosen) {
            boolean unused = rollback && ++k == lineCount;
            int supply = warehouses > 1 && random.nextInt(100) == 0 ? other(w) : w;
            lines.add(new TpccProgram.Line(unused ? items + 1 : i, supply + 1, 1 + random.nextInt(TpccProgram.MAX_QUANTITY)));
            if (!unused) {
                inputs.add(InputObject.shared(stockIds[supply][i - 1], true));
            }
        }
        return sign(sender, DEFAULT_GAS, inputs, TpccProgram.NAME, "newOrder",
                new TpccProgram.NewOrder(w + 1, d + 1, c, lines).encode());
    }

    private Transaction payment(Ed25519KeyPair sender, int w, int d) {
        int cw = w;
        int cd = d;
        if (warehouses > 1 && random.nextInt(100) < 15) {
            cw = other(w);
            cd = random.nextInt(TpccProgram.DISTRICTS);
        }
        int c = customerRand.next(random);
        long amount = 100 + random.nextInt(499_901);
        return sign(sender, DEFAULT_GAS, List.of(InputObject.shared(warehouseIds[w], true),
                        InputObject.shared(districtIds[w][d], true), InputObject.shared(customerIds[cw][cd][c - 1], true)),
                TpccProgram.NAME, "payment", new TpccProgram.Payment(w + 1, d + 1, cw + 1, cd + 1, c, amount).encode());
    }

    /** A warehouse other than {@code w} (0-based), uniformly; needs at least two. */
    private int other(int w) {
        int o = random.nextInt(warehouses - 1);
        return o >= w ? o + 1 : o;
    }

    /** TPC-C's non-uniform random NURand(A, 1, n) (clause 2.1.6), A scaled to n / {@code divisor}. */
    private static final class NuRand {
        private final int n;
        private final int a;
        private final int c;

        NuRand(int n, int divisor, java.util.Random random) {
            this.n = n;
            this.a = Integer.highestOneBit(Math.max(1, n / divisor) + 1) - 1;
            this.c = random.nextInt(a + 1);
        }

        int next(java.util.Random random) {
            return (((random.nextInt(a + 1) | (1 + random.nextInt(n))) + c) % n) + 1;
        }
    }
}
