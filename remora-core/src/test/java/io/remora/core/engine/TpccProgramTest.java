package io.remora.core.engine;

import io.remora.core.Effects;
import io.remora.core.Event;
import io.remora.core.ExecutionStatus;
import io.remora.core.InputObject;
import io.remora.core.ObjectId;
import io.remora.core.StoredObject;
import io.remora.core.Transaction;
import io.remora.core.codec.WireWriter;
import io.remora.core.engine.TpccProgram.Line;
import io.remora.core.engine.TpccProgram.NewOrder;
import io.remora.core.engine.TpccProgram.Payment;
import io.remora.core.engine.TpccRows.Customer;
import io.remora.core.engine.TpccRows.District;
import io.remora.core.engine.TpccRows.Item;
import io.remora.core.engine.TpccRows.Order;
import io.remora.core.engine.TpccRows.OrderLine;
import io.remora.core.engine.TpccRows.Stock;
import io.remora.core.engine.TpccRows.Warehouse;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code tpcc::newOrder} and {@code tpcc::payment}: effects on the rows, created children, typed failures. */
class TpccProgramTest {
    private final EngineFixture f = new EngineFixture();
    private final StoredObject catalog = f.put(TpccProgram.genesisCatalog(f.newId(), 3));
    private final ObjectId w1 = shared(TpccRows.WAREHOUSE, new Warehouse(1, 800, 1_000).encode());
    private final ObjectId w2 = shared(TpccRows.WAREHOUSE, new Warehouse(2, 0, 0).encode());
    private final ObjectId d11 = shared(TpccRows.DISTRICT, new District(1, 1, 200, 500, 3001).encode());
    private final ObjectId c111 = shared(TpccRows.CUSTOMER, new Customer(1, 1, 1, 1_000, -1_000, 1_000, 1).encode());
    private final ObjectId s11 = shared(TpccRows.STOCK, new Stock(1, 1, 50, 0, 0, 0).encode());
    private final ObjectId s12 = shared(TpccRows.STOCK, new Stock(1, 2, 12, 0, 0, 0).encode());
    private final ObjectId s23 = shared(TpccRows.STOCK, new Stock(2, 3, 20, 7, 1, 0).encode());

    TpccProgramTest() {
        f.put(TpccProgram.genesisItem(catalog.id(), new Item(1, 250)));
        f.put(TpccProgram.genesisItem(catalog.id(), new Item(2, 1_000)));
        f.put(TpccProgram.genesisItem(catalog.id(), new Item(3, 99)));
    }

    private ObjectId shared(String type, byte[] contents) {
        return f.put(TpccProgram.genesisShared(f.newId(), type, contents)).id();
    }

    private List<InputObject> newOrderInputs(ObjectId... stocks) {
        List<InputObject> in = new ArrayList<>(List.of(InputObject.shared(w1, false), InputObject.shared(d11, true),
                InputObject.shared(c111, false), InputObject.owned(catalog.ref())));
        for (ObjectId s : stocks) {
            in.add(InputObject.shared(s, true));
        }
        return in;
    }

    private Transaction newOrder(NewOrder args, List<InputObject> inputs) {
        return f.tx(f.alice, inputs, TpccProgram.NAME, "newOrder", args.encode());
    }

    private static NewOrder threeLines() {
        return new NewOrder(1, 1, 1, List.of(new Line(1, 1, 5), new Line(2, 1, 4), new Line(3, 2, 10)));
    }

    @Test
    void newOrderShouldTakeTheNextOrderIdUpdateStockAndCreateTheOrderAndItsLines() {
        Effects e = f.ok(newOrder(threeLines(), newOrderInputs(s11, s12, s23)));
        assertEquals(3002, District.of(f.read(d11)).nextOrderId());
        // 50 >= 5 + 10: 45; 12 < 4 + 10: 12 - 4 + 91; 20 >= 10 + 10: 10, remote
        assertEquals(new Stock(1, 1, 45, 5, 1, 0), Stock.of(f.read(s11)));
        assertEquals(new Stock(1, 2, 99, 4, 1, 0), Stock.of(f.read(s12)));
        assertEquals(new Stock(2, 3, 10, 17, 2, 1), Stock.of(f.read(s23)));

        ObjectId order = TpccProgram.orderId(d11, 3001);
        long sum = 5 * 250 + 4 * 1_000 + 10 * 99;
        long total = sum * (10_000 - 1_000) * (10_000 + 800 + 200) / 100_000_000L;
        assertEquals(new Order(3001, 1, 3, false, total), TpccRows.Order.of(f.read(order)));
        assertEquals(new io.remora.core.Owner.ObjectOwner(d11), f.read(order).owner());
        assertEquals(new OrderLine(1, 1, 1, 5, 1_250), TpccRows.OrderLine.of(f.read(TpccProgram.orderLineId(order, 1))));
        assertEquals(new OrderLine(2, 2, 1, 4, 4_000), TpccRows.OrderLine.of(f.read(TpccProgram.orderLineId(order, 2))));
        assertEquals(new OrderLine(3, 3, 2, 10, 990), TpccRows.OrderLine.of(f.read(TpccProgram.orderLineId(order, 3))));
        assertEquals(new io.remora.core.Owner.ObjectOwner(order), f.read(TpccProgram.orderLineId(order, 3)).owner());
        assertNull(f.read(TpccProgram.orderLineId(order, 4)));
        // district + 3 stocks + order + 3 lines; warehouse, customer, catalog and items only read
        assertEquals(8, e.written().size());
        assertEquals(4, e.written().stream().filter(Effects.Written::created).count());
        assertEquals(List.of(new Event(TpccProgram.NEW_ORDER_EVENT, new WireWriter(12).i32(3001).i64(total).toByteArray())),
                e.events());

        f.ok(newOrder(new NewOrder(1, 1, 1, List.of(new Line(1, 1, 1))), newOrderInputs(s11)));
        ObjectId second = TpccProgram.orderId(d11, 3002);
        assertEquals(new Order(3002, 1, 1, true, 250 * 9_000L * 11_000 / 100_000_000L), TpccRows.Order.of(f.read(second)));
        assertEquals(3003, District.of(f.read(d11)).nextOrderId());
    }

    @Test
    void paymentShouldMoveTheAmountAndWriteHistory() {
        ObjectId d12 = shared(TpccRows.DISTRICT, new District(2, 4, 0, 10, 7).encode());
        Effects e = f.ok(f.tx(f.bob, List.of(InputObject.shared(w2, true), InputObject.shared(d12, true),
                InputObject.shared(c111, true)), TpccProgram.NAME, "payment", new Payment(2, 4, 1, 1, 1, 4_200).encode()));
        assertEquals(new Warehouse(2, 0, 4_200), Warehouse.of(f.read(w2)));
        assertEquals(new District(2, 4, 0, 4_210, 7), District.of(f.read(d12)));
        assertEquals(new Customer(1, 1, 1, 1_000, -5_200, 5_200, 2), Customer.of(f.read(c111)));
        List<StoredObject> created = e.written().stream().filter(Effects.Written::created).map(Effects.Written::object).toList();
        assertEquals(1, created.size());
        assertEquals(new TpccRows.History(1, 1, 1, 2, 4, 4_200), TpccRows.History.of(created.get(0)));
        assertEquals(io.remora.core.Owner.IMMUTABLE, created.get(0).owner());
    }

    @Test
    void badNewOrdersShouldFailTypedAndChangeNothing() {
        f.fails(newOrder(threeLines(), newOrderInputs(s11, s12)), ExecutionStatus.BAD_ARGUMENTS); // a stock missing
        f.fails(newOrder(threeLines(), newOrderInputs(s11, s12, s23, s11)), ExecutionStatus.BAD_ARGUMENTS); // one too many
        f.fails(newOrder(threeLines(), newOrderInputs(s12, s11, s23)), ExecutionStatus.BAD_ARGUMENTS); // wrong order
        f.fails(newOrder(new NewOrder(2, 1, 1, List.of(new Line(1, 1, 1))), newOrderInputs(s11)), ExecutionStatus.BAD_ARGUMENTS);
        f.fails(newOrder(new NewOrder(1, 1, 2, List.of(new Line(1, 1, 1))), newOrderInputs(s11)), ExecutionStatus.BAD_ARGUMENTS);
        f.fails(newOrder(new NewOrder(1, 1, 1, List.of(new Line(1, 1, 0))), newOrderInputs(s11)), ExecutionStatus.BAD_ARGUMENTS);
        f.fails(newOrder(new NewOrder(1, 1, 1, List.of(new Line(1, 1, 11))), newOrderInputs(s11)), ExecutionStatus.BAD_ARGUMENTS);
        f.fails(newOrder(new NewOrder(1, 1, 1, List.of()), newOrderInputs()), ExecutionStatus.BAD_ARGUMENTS);
        // the unused item of TPC-C's 1% rollback: the lines before it are undone too
        f.fails(newOrder(new NewOrder(1, 1, 1, List.of(new Line(1, 1, 1), new Line(4, 1, 1))), newOrderInputs(s11)),
                TpccProgram.ITEM_NOT_FOUND);
        // read-only district
        List<InputObject> ro = newOrderInputs(s11);
        ro.set(1, InputObject.shared(d11, false));
        f.fails(newOrder(new NewOrder(1, 1, 1, List.of(new Line(1, 1, 1))), ro), ExecutionStatus.IMMUTABLE_WRITE);
        // a stock where the customer belongs
        List<InputObject> swapped = newOrderInputs(s11);
        swapped.set(2, InputObject.shared(s12, false));
        f.fails(newOrder(new NewOrder(1, 1, 1, List.of(new Line(1, 1, 1))), swapped), ExecutionStatus.BAD_ARGUMENTS);
        // trailing bytes, unknown function
        byte[] args = new NewOrder(1, 1, 1, List.of(new Line(1, 1, 1))).encode();
        byte[] longer = java.util.Arrays.copyOf(args, args.length + 1);
        f.fails(f.tx(f.alice, newOrderInputs(s11), TpccProgram.NAME, "newOrder", longer), ExecutionStatus.BAD_ARGUMENTS);
        f.fails(f.tx(f.alice, newOrderInputs(s11), TpccProgram.NAME, "delivery", args), ExecutionStatus.UNKNOWN_FUNCTION);
        assertEquals(3001, District.of(f.read(d11)).nextOrderId());
        assertNull(f.read(TpccProgram.orderId(d11, 3001)));
    }

    @Test
    void badPaymentsShouldFailTypedAndChangeNothing() {
        List<InputObject> in = List.of(InputObject.shared(w1, true), InputObject.shared(d11, true), InputObject.shared(c111, true));
        f.fails(f.tx(f.alice, in, TpccProgram.NAME, "payment", new Payment(1, 1, 1, 1, 1, 0).encode()), ExecutionStatus.BAD_ARGUMENTS);
        f.fails(f.tx(f.alice, in, TpccProgram.NAME, "payment", new Payment(1, 2, 1, 1, 1, 5).encode()), ExecutionStatus.BAD_ARGUMENTS);
        f.fails(f.tx(f.alice, in, TpccProgram.NAME, "payment", new Payment(1, 1, 1, 1, 9, 5).encode()), ExecutionStatus.BAD_ARGUMENTS);
        f.fails(f.tx(f.alice, in.subList(0, 2), TpccProgram.NAME, "payment", new Payment(1, 1, 1, 1, 1, 5).encode()),
                ExecutionStatus.BAD_ARGUMENTS);
        f.fails(f.tx(f.alice, List.of(in.get(0), InputObject.shared(d11, false), in.get(2)), TpccProgram.NAME, "payment",
                new Payment(1, 1, 1, 1, 1, 5).encode()), ExecutionStatus.IMMUTABLE_WRITE);
        f.fails(f.tx(f.alice, in, TpccProgram.NAME, "payment", new Payment(1, 1, 1, 1, 1, Long.MAX_VALUE).encode()),
                TpccProgram.OVERFLOW); // warehouse ytd 1000 + 2^63-1
        f.fails(f.tx(f.alice, in, TpccProgram.NAME, "payment", new byte[3]), ExecutionStatus.BAD_ARGUMENTS);
        assertEquals(new Warehouse(1, 800, 1_000), Warehouse.of(f.read(w1)));
    }

    @Test
    void reExecutionWithTheLookupTableAsHintsShouldCreateTheSameChildren() {
        Transaction tx = newOrder(threeLines(), newOrderInputs(s11, s12, s23));
        var pre = BuiltinEngine.executor("pre").preExecute(tx, f.store, 0);
        Effects hinted = BuiltinEngine.executor("primary").execute(tx, f.store, pre.lookupTable()).effects();
        assertEquals(pre.effects(), hinted);
        // reads recorded: the inputs, 3 items, the absent order and its 3 absent lines
        assertEquals(7 + 3 + 1 + 3, pre.lookupTable().reads().size());
        assertTrue(pre.lookupTable().reads().stream().anyMatch(r -> r.id().equals(TpccProgram.orderId(d11, 3001)) && r.version() == 0));
    }
}
