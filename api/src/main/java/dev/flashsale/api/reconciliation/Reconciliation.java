package dev.flashsale.api.reconciliation;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

import dev.flashsale.api.eventpath.EventPath;
import dev.flashsale.purchase.Purchase;
import dev.flashsale.purchase.PurchaseStatus;
import dev.flashsale.stock.StockLevel;

/**
 * A sale's stock as the grid holds it next to the orders MySQL recorded. At a quiet moment
 * (no purchases, pipeline drained) {@code eventsInFlight} is 0 and {@code consistent} is true:
 * every unit the grid took is an order row, and MySQL knows the sale's stock as the grid does.
 *
 * <p>{@code eventsInFlight} alone cannot tell a busy path from a stuck one; {@code eventPath}
 * can: its lag grows while the path does not move, whatever its jobs report. A sale with dead
 * letters is not consistent: those records never became rows.
 *
 * <p>{@code oversold} is the alarm of a network split that sold the same units on both sides
 * (the merge keeps every unit either side took): each bucket with fewer than zero available,
 * by how many units, and the orders concerned, its most recent ones. {@code pendingClaims}
 * counts claims settlement has not decided yet, and {@code shoppersAboveLimit} the shoppers who
 * hold more units than the sale allows (a shopper who bought on both sides of a split keeps
 * both orders). {@code journalLosses} names each bucket whose
 * stock journal was overwritten before the outbox read it (the outbox job stops on it): its
 * reservations may never reach MySQL.
 *
 * <p>{@code conservation} is the identity {@code stock = available + reserved + paid}, on each
 * side: in the grid from the buckets and the shoppers' orders, in MySQL from the events alone
 * (available there is the stock less every unit a reservation took plus every unit a bucket
 * reported given back). Each holds at a quiet moment; a sale is consistent only if both do.
 */
public record Reconciliation(
        String saleId,
        int stock,
        Grid grid,
        Mysql mysql,
        long eventsInFlight,
        long deadLetters,
        List<Oversold> oversold,
        long pendingClaims,
        long shoppersAboveLimit,
        Map<Integer, String> journalLosses,
        EventPath.Lag eventPath,
        Conservation conservation,
        boolean consistent) {

    /** {@code stock = available + reserved + paid} on one side. */
    public record Side(long stock, long available, long reserved, long paid, boolean holds) {

        static Side of(long stock, long available, long reserved, long paid) {
            return new Side(stock, available, reserved, paid, stock == available + reserved + paid);
        }
    }

    public record Conservation(Side grid, Side mysql) {
    }

    public record Grid(int available, int taken) {
    }

    /** A bucket that took {@code units} more than it had, and the orders concerned (most recent first). */
    public record Oversold(int bucket, int units, List<String> orders) {
    }

    public record Mysql(Integer stock, long orders, long units) {
    }

    /** The buckets with fewer than zero available, each with its most recent orders, as many as it is short. */
    static List<Oversold> oversold(Map<Integer, StockLevel> buckets, List<Purchase> orders) {
        List<Oversold> oversold = new ArrayList<>();
        buckets.forEach((bucket, level) -> {
            if (level.available() < 0) {
                int units = -level.available();
                List<String> concerned = orders.stream().filter(order -> order.status().holdsUnits() && !order.isPending()
                                && order.bucket() == bucket)
                        .sorted(Comparator.comparingLong(Purchase::claimedAtMillis).reversed())
                        .limit(units).map(Purchase::orderId).toList();
                oversold.add(new Oversold(bucket, units, concerned));
            }
        });
        return oversold;
    }

    static Reconciliation of(String saleId, StockLevel grid, List<Purchase> orders, OrderLedger.Totals mysql, long deadLetters,
                             List<Oversold> oversold, long pendingClaims, long shoppersAboveLimit,
                             Map<Integer, String> journalLosses, EventPath.Lag eventPath) {
        long inFlight = grid.taken() - mysql.units();
        Conservation conservation = new Conservation(
                Side.of(grid.stock(), grid.available(), unitsIn(orders, PurchaseStatus.RESERVED), unitsIn(orders, PurchaseStatus.PAID)),
                Side.of(mysql.saleStock() == null ? 0 : mysql.saleStock(), mysql.available(), mysql.reservedUnits(),
                        mysql.paidUnits()));
        boolean consistent = inFlight == 0
                && deadLetters == 0
                && oversold.isEmpty()
                && pendingClaims == 0
                && shoppersAboveLimit == 0
                && journalLosses.isEmpty()
                && mysql.saleStock() != null
                && mysql.saleStock() == grid.stock()
                && conservation.grid().holds()
                && conservation.mysql().holds();
        return new Reconciliation(saleId, grid.stock(), new Grid(grid.available(), grid.taken()),
                new Mysql(mysql.saleStock(), mysql.orders(), mysql.units()), inFlight, deadLetters, oversold, pendingClaims, shoppersAboveLimit, journalLosses, eventPath,
                conservation, consistent);
    }

    private static long unitsIn(List<Purchase> orders, PurchaseStatus status) {
        return orders.stream().filter(order -> order.status() == status).mapToLong(Purchase::quantity).sum();
    }
}
