package io.remora.core.engine;

import io.remora.core.StoredObject;
import io.remora.core.codec.WireReader;
import io.remora.core.codec.WireWriter;

/**
 * The rows of {@link TpccProgram}, one object each, with their contents encodings (big-endian,
 * fixed length; money in cents, rates in basis points). Decoding nothing or a row of another type
 * throws a {@link io.remora.core.exec.ProgramAbort} (UNKNOWN_OBJECT, BAD_ARGUMENTS); bad lengths a
 * {@link io.remora.core.codec.CodecException}, which the engine turns into BAD_ARGUMENTS.
 *
 * <pre>
 *  row        type             owner                 contents
 *  Warehouse  tpcc::Warehouse  shared                w i32 | taxBp i32 | ytd i64
 *  District   tpcc::District   shared                w i32 | d i32 | taxBp i32 | ytd i64 | nextOrderId i32
 *  Customer   tpcc::Customer   shared                w i32 | d i32 | c i32 | discountBp i32 | balance i64 | ytdPayment i64 | paymentCount i32
 *  Stock      tpcc::Stock      shared                w i32 | i i32 | quantity i32 | ytd i64 | orderCount i32 | remoteCount i32
 *  Catalog    tpcc::Catalog    immutable             items i32
 *  Item       tpcc::Item       child of the catalog  i i32 | price i64
 *  Order      tpcc::Order      child of its district o i32 | c i32 | lineCount i32 | allLocal u8 | total i64
 *  OrderLine  tpcc::OrderLine  child of its order    n i32 | i i32 | supplyW i32 | quantity i32 | amount i64
 *  History    tpcc::History    immutable             customerW i32 | customerD i32 | c i32 | w i32 | d i32 | amount i64
 * </pre>
 */
public final class TpccRows {
    public static final String WAREHOUSE = "tpcc::Warehouse";
    public static final String DISTRICT = "tpcc::District";
    public static final String CUSTOMER = "tpcc::Customer";
    public static final String STOCK = "tpcc::Stock";
    public static final String CATALOG = "tpcc::Catalog";
    public static final String ITEM = "tpcc::Item";
    public static final String ORDER = "tpcc::Order";
    public static final String ORDER_LINE = "tpcc::OrderLine";
    public static final String HISTORY = "tpcc::History";

    private TpccRows() {
    }

    /** A warehouse: its tax rate and year-to-date payments. */
    public record Warehouse(int w, int taxBp, long ytd) {
        public byte[] encode() {
            return new WireWriter(16).i32(w).i32(taxBp).i64(ytd).toByteArray();
        }

        public static Warehouse of(StoredObject o) {
            WireReader r = reader(o, WAREHOUSE);
            return end(r, new Warehouse(r.i32("w"), r.i32("taxBp"), r.i64("ytd")));
        }
    }

    /** A district: its tax rate, year-to-date payments and the id its next order gets. */
    public record District(int w, int d, int taxBp, long ytd, int nextOrderId) {
        public byte[] encode() {
            return new WireWriter(24).i32(w).i32(d).i32(taxBp).i64(ytd).i32(nextOrderId).toByteArray();
        }

        public static District of(StoredObject o) {
            WireReader r = reader(o, DISTRICT);
            return end(r, new District(r.i32("w"), r.i32("d"), r.i32("taxBp"), r.i64("ytd"), r.i32("nextOrderId")));
        }
    }

    /** A customer of district {@code (w, d)}: discount, balance (negative is owed) and payment totals. */
    public record Customer(int w, int d, int c, int discountBp, long balance, long ytdPayment, int paymentCount) {
        public byte[] encode() {
            return new WireWriter(36).i32(w).i32(d).i32(c).i32(discountBp).i64(balance).i64(ytdPayment)
                    .i32(paymentCount).toByteArray();
        }

        public static Customer of(StoredObject o) {
            WireReader r = reader(o, CUSTOMER);
            return end(r, new Customer(r.i32("w"), r.i32("d"), r.i32("c"), r.i32("discountBp"), r.i64("balance"),
                    r.i64("ytdPayment"), r.i32("paymentCount")));
        }
    }

    /** Warehouse {@code w}'s stock of item {@code i}. */
    public record Stock(int w, int i, int quantity, long ytd, int orderCount, int remoteCount) {
        public byte[] encode() {
            return new WireWriter(28).i32(w).i32(i).i32(quantity).i64(ytd).i32(orderCount).i32(remoteCount)
                    .toByteArray();
        }

        public static Stock of(StoredObject o) {
            WireReader r = reader(o, STOCK);
            return end(r, new Stock(r.i32("w"), r.i32("i"), r.i32("quantity"), r.i64("ytd"), r.i32("orderCount"),
                    r.i32("remoteCount")));
        }
    }

    /** An item of the catalog (items {@code 1..items}): its price in cents. */
    public record Item(int i, long price) {
        public byte[] encode() {
            return new WireWriter(12).i32(i).i64(price).toByteArray();
        }

        public static Item of(StoredObject o) {
            WireReader r = reader(o, ITEM);
            return end(r, new Item(r.i32("i"), r.i64("price")));
        }
    }

    /** Order {@code o} of a district, placed by customer {@code c}; {@code total} includes discount and taxes. */
    public record Order(int o, int c, int lineCount, boolean allLocal, long total) {
        public byte[] encode() {
            return new WireWriter(21).i32(o).i32(c).i32(lineCount).bool(allLocal).i64(total).toByteArray();
        }

        public static Order of(StoredObject o) {
            WireReader r = reader(o, ORDER);
            return end(r, new Order(r.i32("o"), r.i32("c"), r.i32("lineCount"), r.bool("allLocal"), r.i64("total")));
        }
    }

    /** Line {@code n} (1-based) of an order: {@code quantity} of item {@code i} from warehouse {@code supplyW}. */
    public record OrderLine(int n, int i, int supplyW, int quantity, long amount) {
        public byte[] encode() {
            return new WireWriter(24).i32(n).i32(i).i32(supplyW).i32(quantity).i64(amount).toByteArray();
        }

        public static OrderLine of(StoredObject o) {
            WireReader r = reader(o, ORDER_LINE);
            return end(r, new OrderLine(r.i32("n"), r.i32("i"), r.i32("supplyW"), r.i32("quantity"), r.i64("amount")));
        }
    }

    /** A payment's history row: customer {@code (customerW, customerD, c)} paid {@code amount} at district {@code (w, d)}. */
    public record History(int customerW, int customerD, int c, int w, int d, long amount) {
        public byte[] encode() {
            return new WireWriter(28).i32(customerW).i32(customerD).i32(c).i32(w).i32(d).i64(amount).toByteArray();
        }

        public static History of(StoredObject o) {
            WireReader r = reader(o, HISTORY);
            return end(r, new History(r.i32("customerW"), r.i32("customerD"), r.i32("c"), r.i32("w"), r.i32("d"),
                    r.i64("amount")));
        }
    }

    /** The number of items a catalog object holds. */
    public static int catalogItems(StoredObject catalog) {
        WireReader r = reader(catalog, CATALOG);
        return end(r, r.i32("items"));
    }

    static byte[] catalogContents(int items) {
        return new WireWriter(4).i32(items).toByteArray();
    }

    private static WireReader reader(StoredObject o, String type) {
        Objects.requireType(o, type);
        return new WireReader(o.contents());
    }

    private static <T> T end(WireReader r, T row) {
        r.expectEnd("tpcc row");
        return row;
    }
}
