package io.remora.core.workload;

import io.remora.core.Effects;
import io.remora.core.ExecutionStatus;
import io.remora.core.ObjectId;
import io.remora.core.StoredObject;
import io.remora.core.Transaction;
import io.remora.core.engine.TpccProgram;
import io.remora.core.engine.TpccRows;
import io.remora.core.testkit.Oracle;
import io.remora.core.testkit.Seeds;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A seeded TPC-C run on the reference executor keeps TPC-C's consistency conditions: warehouse ytd
 * = sum of its districts' ytd (clause 3.3.2.1, from equal genesis totals), every district's
 * next order id - 3001 = the orders created under it, each with its lines at the derived ids
 * (3.3.2.2-3), money moved by payments equals what customers paid; the mix is as documented.
 */
class TpccWorkloadTest {
    @ParameterizedTest(name = "W={0}")
    @ValueSource(ints = {1, 4})
    void shouldKeepTpccConsistencyConditions(int warehouses) {
        long seed = Seeds.seed("TpccWorkloadTest.W" + warehouses);
        WorkloadGenerator g = Workloads.tpcc(seed, warehouses);
        Workload w = g.take(400);
        Oracle.Run run = Oracle.run(w);
        Map<ObjectId, StoredObject> genesis = new HashMap<>();
        w.genesis().forEach(o -> genesis.put(o.id(), o));

        int newOrders = 0;
        int rollbacks = 0;
        int remoteLines = 0;
        for (int i = 0; i < w.transactions().size(); i++) {
            Transaction tx = w.transactions().get(i);
            Effects e = run.effects().get(i);
            if (tx.function().equals("newOrder")) {
                newOrders++;
                if (e.status() instanceof ExecutionStatus.Failure f) {
                    assertEquals(TpccProgram.ITEM_NOT_FOUND, f.code(), Seeds.replay(seed));
                    rollbacks++;
                }
                remoteLines += (int) e.written().stream().map(Effects.Written::object)
                        .filter(o -> o.typeTag().equals(TpccRows.ORDER_LINE))
                        .filter(o -> TpccRows.OrderLine.of(o).supplyW() != warehouseOf(tx)).count();
            } else {
                assertTrue(e.status().isSuccess(), e.status() + "; " + Seeds.replay(seed));
            }
        }
        int n = w.transactions().size();
        assertTrue(newOrders > 0.40 * n && newOrders < 0.62 * n, newOrders + " NewOrders of " + n + "; " + Seeds.replay(seed));
        assertTrue(rollbacks <= 12, rollbacks + " rollbacks; " + Seeds.replay(seed));
        if (warehouses == 1) {
            assertEquals(0, remoteLines);
        }

        long warehouseYtd = 0;
        long districtYtd = 0;
        long customerPaid = 0;
        int orders = 0;
        for (StoredObject o : run.store().objects()) {
            switch (o.typeTag()) {
                case TpccRows.WAREHOUSE -> warehouseYtd += TpccRows.Warehouse.of(o).ytd()
                        - TpccRows.Warehouse.of(genesis.get(o.id())).ytd();
                case TpccRows.DISTRICT -> {
                    TpccRows.District d = TpccRows.District.of(o);
                    districtYtd += d.ytd() - TpccRows.District.of(genesis.get(o.id())).ytd();
                    for (int oid = 3001; oid < d.nextOrderId(); oid++) {
                        StoredObject order = run.store().read(TpccProgram.orderId(o.id(), oid));
                        assertNotNull(order, "order " + oid + " of district " + d + "; " + Seeds.replay(seed));
                        TpccRows.Order row = TpccRows.Order.of(order);
                        assertEquals(oid, row.o());
                        for (int line = 1; line <= row.lineCount(); line++) {
                            assertNotNull(run.store().read(TpccProgram.orderLineId(order.id(), line)), Seeds.replay(seed));
                        }
                        orders++;
                    }
                }
                case TpccRows.CUSTOMER -> customerPaid += TpccRows.Customer.of(genesis.get(o.id())).balance()
                        - TpccRows.Customer.of(o).balance();
                default -> {
                }
            }
        }
        assertEquals(newOrders - rollbacks, orders, Seeds.replay(seed));
        assertEquals(warehouseYtd, districtYtd, Seeds.replay(seed));
        assertEquals(warehouseYtd, customerPaid, Seeds.replay(seed));
        assertTrue(warehouseYtd > 0);
        System.out.printf("TpccWorkloadTest W=%d: %d NewOrders (%d rolled back, %d remote lines), %d Payments%n",
                warehouses, newOrders, rollbacks, remoteLines, n - newOrders);
    }

    private static int warehouseOf(Transaction tx) {
        return new io.remora.core.codec.WireReader(tx.args()).i32("w");
    }

    @ParameterizedTest(name = "W={0}")
    @ValueSource(ints = {0, -1})
    void shouldRefuseNoWarehouses(int warehouses) {
        org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class, () -> Workloads.tpcc(1, warehouses));
    }

    @org.junit.jupiter.api.Test
    void ycsbBShouldBeMostlyReads() {
        long seed = Seeds.seed("TpccWorkloadTest.ycsbB");
        List<Transaction> txs = Workloads.ycsbB(seed, 1_000).take(2_000).transactions();
        long reads = txs.stream().filter(t -> t.function().equals("read")).count();
        assertTrue(reads > 0.93 * txs.size() && reads < 0.97 * txs.size(), reads + " reads; " + Seeds.replay(seed));
    }
}
