package io.remora.core.engine;

import io.remora.core.ObjectId;
import io.remora.core.Owner;
import io.remora.core.StoredObject;
import io.remora.core.codec.WireReader;
import io.remora.core.codec.WireWriter;
import io.remora.core.engine.TpccRows.Customer;
import io.remora.core.engine.TpccRows.District;
import io.remora.core.engine.TpccRows.Item;
import io.remora.core.engine.TpccRows.Warehouse;
import io.remora.core.exec.ExecutionContext;
import java.util.List;

/**
 * {@code tpcc}: TPC-C's NewOrder and Payment transactions on the object model. Warehouses,
 * districts, customers and stock are shared objects; items are dynamic children of an immutable
 * catalog; each order and its lines are dynamic children created under the district and the order,
 * at ids derived from the district id and the order id the district hands out
 * ({@link #orderId}, {@link #orderLineId}), so every executor of the same reads creates the same
 * objects. Rows and their encodings: {@link TpccRows}.
 *
 * <pre>
 *  function  inputs                                          args
 *  newOrder  0 warehouse (shared)  1 district (shared, mut)  w i32 | d i32 | c i32 | lines u32 (1..15)
 *            2 customer (shared)   3 catalog (immutable)       | per line: i i32 | supplyW i32 | quantity i32 (1..10)
 *            4.. the stock of each line (shared, mut), in line order
 *  payment   0 warehouse (shared, mut) 1 district (shared, mut)  w i32 | d i32 | customerW i32 | customerD i32 | c i32
 *            2 customer (shared, mut)                             | amount i64 (>= 1, cents)
 * </pre>
 *
 * {@code newOrder} (TPC-C 2.4.2): reads the warehouse's and district's tax and the customer's
 * discount, takes {@code o = district.nextOrderId} and increments it, and for each line reads the
 * item (an absent item aborts with {@value #ITEM_NOT_FOUND}: TPC-C's 1% rollback), updates the stock
 * ({@code quantity - q} if that leaves at least 10, else {@code quantity - q + 91}; {@code ytd += q},
 * {@code orderCount++}, {@code remoteCount++} if supplied by another warehouse) and creates the
 * order line ({@code amount = q * price}); then creates the order with
 * {@code total = sum(amount) * (1 - discount) * (1 + wTax + dTax)} and emits
 * {@value #NEW_ORDER_EVENT}(o i32 | total i64).
 *
 * <p>{@code payment} (TPC-C 2.5.2, customer by id): {@code warehouse.ytd += amount},
 * {@code district.ytd += amount}, {@code customer.balance -= amount},
 * {@code customer.ytdPayment += amount}, {@code customer.paymentCount++}, and creates an immutable
 * history row.
 *
 * <p>Inputs that are not the rows the arguments name fail with BAD_ARGUMENTS; money or counters
 * out of range with {@value #OVERFLOW}. Not modeled: the NEW-ORDER queue row, customer and stock
 * data strings (credit "BC" data, brand/generic), customers chosen by last name, and the
 * Delivery, Order-Status and Stock-Level transactions.
 */
public final class TpccProgram implements Program {
    public static final String NAME = "tpcc";
    public static final String NEW_ORDER_EVENT = "tpcc::NewOrder";
    /** TPC-C's districts per warehouse. */
    public static final int DISTRICTS = 10;
    /** Most lines in one order (TPC-C: 5..15). */
    public static final int MAX_LINES = 15;
    /** Most units of an item in one order line. */
    public static final int MAX_QUANTITY = 10;
    /** A line names an item the catalog does not have (the whole order rolls back). */
    public static final int ITEM_NOT_FOUND = 5001;
    /** Money, an order id or a counter would leave its range. */
    public static final int OVERFLOW = 5002;
    /** Inputs before the first line's stock in {@code newOrder}. */
    public static final int NEW_ORDER_FIXED_INPUTS = 4;

    TpccProgram() {
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public void call(String function, WireReader args, ExecutionContext ctx) {
        try {
            switch (function) {
                case "newOrder" -> TpccNewOrder.run(NewOrder.decode(args), ctx);
                case "payment" -> payment(Payment.decode(args), ctx);
                default -> throw Objects.unknownFunction(NAME, function);
            }
        } catch (ArithmeticException e) {
            throw ctx.abort(OVERFLOW, "tpcc::" + function + ": " + e.getMessage());
        }
    }

    private static void payment(Payment p, ExecutionContext ctx) {
        Objects.requireInputs(ctx, 3, "tpcc::payment");
        StoredObject wo = ctx.input(0);
        StoredObject dobj = ctx.input(1);
        StoredObject co = ctx.input(2);
        Warehouse w = Warehouse.of(wo);
        District d = District.of(dobj);
        Customer c = Customer.of(co);
        expect(w.w() == p.w() && d.w() == p.w() && d.d() == p.d(), "payment inputs are not warehouse/district " + p.w() + "/" + p.d());
        expect(c.w() == p.customerW() && c.d() == p.customerD() && c.c() == p.c(), "payment input 2 is not customer "
                + p.customerW() + "/" + p.customerD() + "/" + p.c());
        ctx.chargeGas(3 * EngineGas.ARITHMETIC);
        ctx.mutate(wo.id(), new Warehouse(w.w(), w.taxBp(), Math.addExact(w.ytd(), p.amount())).encode());
        ctx.mutate(dobj.id(), new District(d.w(), d.d(), d.taxBp(), Math.addExact(d.ytd(), p.amount()), d.nextOrderId()).encode());
        ctx.mutate(co.id(), new Customer(c.w(), c.d(), c.c(), c.discountBp(), Math.subtractExact(c.balance(), p.amount()),
                Math.addExact(c.ytdPayment(), p.amount()), Math.incrementExact(c.paymentCount())).encode());
        ctx.create(Owner.IMMUTABLE, TpccRows.HISTORY,
                new TpccRows.History(p.customerW(), p.customerD(), p.c(), p.w(), p.d(), p.amount()).encode());
    }

    /** Fails with BAD_ARGUMENTS unless {@code ok}. */
    static void expect(boolean ok, String message) {
        if (!ok) {
            throw Objects.badArgs(message);
        }
    }

    /** One line of a NewOrder: {@code quantity} of item {@code i} from warehouse {@code supplyW}. */
    public record Line(int i, int supplyW, int quantity) {
    }

    /** The arguments of {@code newOrder}. */
    public record NewOrder(int w, int d, int c, List<Line> lines) {
        public NewOrder {
            lines = List.copyOf(lines);
        }

        public byte[] encode() {
            WireWriter out = new WireWriter(16 + 12 * lines.size()).i32(w).i32(d).i32(c)
                    .count("lines", lines.size(), MAX_LINES);
            for (Line l : lines) {
                out.i32(l.i()).i32(l.supplyW()).i32(l.quantity());
            }
            return out.toByteArray();
        }

        static NewOrder decode(WireReader r) {
            int w = r.i32("w");
            int d = r.i32("d");
            int c = r.i32("c");
            int n = r.count("lines", MAX_LINES);
            expect(n >= 1, "an order has 1.." + MAX_LINES + " lines");
            Line[] lines = new Line[n];
            for (int k = 0; k < n; k++) {
                lines[k] = new Line(r.i32("i"), r.i32("supplyW"), r.i32("quantity"));
                expect(lines[k].quantity() >= 1 && lines[k].quantity() <= MAX_QUANTITY,
                        "line quantity " + lines[k].quantity() + " (expected: 1.." + MAX_QUANTITY + ")");
            }
            r.expectEnd("tpcc::newOrder");
            return new NewOrder(w, d, c, List.of(lines));
        }
    }

    /** The arguments of {@code payment}: customer {@code (customerW, customerD, c)} pays at district {@code (w, d)}. */
    public record Payment(int w, int d, int customerW, int customerD, int c, long amount) {
        public byte[] encode() {
            return new WireWriter(28).i32(w).i32(d).i32(customerW).i32(customerD).i32(c).i64(amount).toByteArray();
        }

        static Payment decode(WireReader r) {
            Payment p = new Payment(r.i32("w"), r.i32("d"), r.i32("customerW"), r.i32("customerD"), r.i32("c"),
                    r.i64InRange("amount", 1, Long.MAX_VALUE));
            r.expectEnd("tpcc::payment");
            return p;
        }
    }

    /** The id of item {@code i} under {@code catalog}. */
    public static ObjectId itemId(ObjectId catalog, int i) {
        return ObjectId.derive(catalog, key('i', i));
    }

    /** The id of order {@code o} of {@code district}. */
    public static ObjectId orderId(ObjectId district, int o) {
        return ObjectId.derive(district, key('o', o));
    }

    /** The id of line {@code n} (1-based) of {@code order}. */
    public static ObjectId orderLineId(ObjectId order, int n) {
        return ObjectId.derive(order, key('l', n));
    }

    static byte[] key(char kind, int n) {
        return new WireWriter(5).u8(kind).i32(n).toByteArray();
    }

    /** A genesis shared row at version 1 ({@code type} one of the shared rows of {@link TpccRows}). */
    public static StoredObject genesisShared(ObjectId id, String type, byte[] contents) {
        return new StoredObject(id, 1, Owner.shared(1), type, contents.clone());
    }

    /** The genesis immutable catalog of {@code items} items. */
    public static StoredObject genesisCatalog(ObjectId id, int items) {
        return new StoredObject(id, 1, Owner.IMMUTABLE, TpccRows.CATALOG, TpccRows.catalogContents(items));
    }

    /** The genesis item {@code item.i()} of {@code catalog}. */
    public static StoredObject genesisItem(ObjectId catalog, Item item) {
        return new StoredObject(itemId(catalog, item.i()), 1, Owner.parent(catalog), TpccRows.ITEM, item.encode());
    }
}
