package dev.flashsale.stock;

import java.util.Arrays;

/**
 * One bucket of a sale's stock.
 *
 * <p>Invariant: {@code 0 <= available <= stock}; {@code stock - available} units are taken.
 *
 * <p>{@code recent} remembers the orders this bucket reserved within the replay window, so
 * that a {@link ReserveStock} that runs again for the same order (a retried invocation after
 * a member died, a retried HTTP request) returns the first answer instead of taking a second
 * unit. Entries older than the window are dropped on the next reservation, which keeps the
 * value small: at most the reservations of one window, and never more than the bucket's stock.
 */
public record StockBucket(int stock, int available, Applied[] recent) {

    /** An order this bucket reserved units for, and when. */
    public record Applied(String orderId, int quantity, long atMillis) {
    }

    public static StockBucket withStock(int units) {
        return new StockBucket(units, units, new Applied[0]);
    }

    public int taken() {
        return stock - available;
    }

    public boolean hasReserved(String orderId) {
        for (Applied applied : recent) {
            if (applied.orderId().equals(orderId)) {
                return true;
            }
        }
        return false;
    }

    /** This bucket with {@code quantity} units taken for {@code orderId}, forgetting orders reserved before {@code forgetBefore}. */
    StockBucket reserve(String orderId, int quantity, long now, long forgetBefore) {
        int firstKept = 0;
        while (firstKept < recent.length && recent[firstKept].atMillis() < forgetBefore) {
            firstKept++;
        }
        Applied[] kept = Arrays.copyOfRange(recent, firstKept, recent.length + 1);
        kept[kept.length - 1] = new Applied(orderId, quantity, now);
        return new StockBucket(stock, available - quantity, kept);
    }
}
