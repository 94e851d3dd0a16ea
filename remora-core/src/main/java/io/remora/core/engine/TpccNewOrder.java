package io.remora.core.engine;

import io.remora.core.ObjectId;
import io.remora.core.StoredObject;
import io.remora.core.codec.WireWriter;
import io.remora.core.engine.TpccProgram.Line;
import io.remora.core.engine.TpccProgram.NewOrder;
import io.remora.core.engine.TpccRows.Customer;
import io.remora.core.engine.TpccRows.District;
import io.remora.core.engine.TpccRows.Item;
import io.remora.core.engine.TpccRows.Order;
import io.remora.core.engine.TpccRows.OrderLine;
import io.remora.core.engine.TpccRows.Stock;
import io.remora.core.engine.TpccRows.Warehouse;
import io.remora.core.exec.ExecutionContext;
import java.util.ArrayList;
import java.util.List;

/** {@code tpcc::newOrder}, as {@link TpccProgram} describes it. Stateless. */
final class TpccNewOrder {
    private static final long BP = 10_000;

    private TpccNewOrder() {
    }

    static void run(NewOrder a, ExecutionContext ctx) {
        Objects.requireInputs(ctx, TpccProgram.NEW_ORDER_FIXED_INPUTS, "tpcc::newOrder");
        Warehouse w = Warehouse.of(ctx.input(0));
        StoredObject dobj = ctx.input(1);
        District d = District.of(dobj);
        Customer c = Customer.of(ctx.input(2));
        StoredObject catalog = ctx.input(3);
        TpccRows.catalogItems(catalog); // type check
        TpccProgram.expect(w.w() == a.w() && d.w() == a.w() && d.d() == a.d(),
                "newOrder inputs are not warehouse/district " + a.w() + "/" + a.d());
        TpccProgram.expect(c.w() == a.w() && c.d() == a.d() && c.c() == a.c(), "newOrder input 2 is not customer "
                + a.w() + "/" + a.d() + "/" + a.c());

        int o = d.nextOrderId();
        ctx.mutate(dobj.id(), new District(d.w(), d.d(), d.taxBp(), d.ytd(), Math.incrementExact(o)).encode());
        ObjectId order = TpccProgram.orderId(dobj.id(), o);
        boolean allLocal = true;
        long sum = 0;
        int n = 0;
        List<OrderLine> rows = new ArrayList<>(a.lines().size());
        for (Line line : a.lines()) {
            n++;
            ctx.chargeGas(EngineGas.ARITHMETIC);
            StoredObject io = ctx.readChild(catalog.id(), TpccProgram.key('i', line.i()));
            if (io == null) {
                throw ctx.abort(TpccProgram.ITEM_NOT_FOUND, "item " + line.i() + " of line " + n);
            }
            Item item = Item.of(io);
            StoredObject so = ctx.input(TpccProgram.NEW_ORDER_FIXED_INPUTS + n - 1);
            Stock s = Stock.of(so);
            TpccProgram.expect(s.w() == line.supplyW() && s.i() == line.i(), "newOrder input "
                    + (TpccProgram.NEW_ORDER_FIXED_INPUTS + n - 1) + " is not stock " + line.supplyW() + "/" + line.i());
            boolean remote = line.supplyW() != a.w();
            allLocal &= !remote;
            int q = line.quantity();
            int quantity = s.quantity() >= q + 10 ? s.quantity() - q : s.quantity() - q + 91;
            ctx.mutate(so.id(), new Stock(s.w(), s.i(), quantity, Math.addExact(s.ytd(), q),
                    Math.incrementExact(s.orderCount()), remote ? Math.incrementExact(s.remoteCount()) : s.remoteCount())
                    .encode());
            long amount = Math.multiplyExact(item.price(), q);
            sum = Math.addExact(sum, amount);
            rows.add(new OrderLine(n, line.i(), line.supplyW(), q, amount));
        }
        TpccProgram.expect(ctx.inputCount() == TpccProgram.NEW_ORDER_FIXED_INPUTS + n,
                "newOrder of " + n + " lines takes " + (TpccProgram.NEW_ORDER_FIXED_INPUTS + n) + " inputs, got " + ctx.inputCount());
        long total = Math.multiplyExact(Math.multiplyExact(sum, BP - c.discountBp()), BP + w.taxBp() + d.taxBp()) / (BP * BP);
        ctx.writeChild(dobj.id(), TpccProgram.key('o', o), TpccRows.ORDER,
                new Order(o, a.c(), n, allLocal, total).encode());
        for (OrderLine row : rows) { // children of the order, which is writable once written
            ctx.writeChild(order, TpccProgram.key('l', row.n()), TpccRows.ORDER_LINE, row.encode());
        }
        ctx.emit(TpccProgram.NEW_ORDER_EVENT, new WireWriter(12).i32(o).i64(total).toByteArray());
    }
}
