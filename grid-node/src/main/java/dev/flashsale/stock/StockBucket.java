package dev.flashsale.stock;

import java.util.Arrays;

/**
 * One bucket of a sale's stock.
 *
 * <p>Invariant: {@code 0 <= available <= stock}; {@code stock - available} units are taken.
 *
 * <p>{@code recent} remembers the latest orders this bucket reserved, so that a
 * {@link ReserveStock} that runs again for the same order (a retried call after a member died,
 * a shopper's retry with the same key) returns the first answer instead of taking a second unit.
 * It keeps at most {@link #RECENT_LIMIT} orders, none claimed longer ago than the replay window,
 * so the value stays small: the map's event journal records every new value, twice.
 * {@code forgottenUpTo} is the latest claim time of an order dropped from {@code recent}: a
 * retry of an order claimed at or before it cannot be told apart from a new one, and is
 * answered {@link Reservation.Outcome#UNKNOWN} rather than risk a second unit.
 *
 * <p>{@code last} is the reservation that produced this value: the event the outbox publishes.
 * Only {@link ReserveStock} sets it, so a journaled value that has one is a new reservation.
 */
public record StockBucket(int stock, int available, Applied[] recent, long forgottenUpTo, Reserved last) {

    public static final int RECENT_LIMIT = 128;

    /** An order this bucket reserved units for, with the time its claim was made. */
    public record Applied(String orderId, long claimedAtMillis) {
    }

    public static StockBucket withStock(int units) {
        return new StockBucket(units, units, new Applied[0], Long.MIN_VALUE, null);
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

    /** This bucket with the units of {@code reserved} taken, forgetting orders claimed before {@code forgetBefore}. */
    StockBucket reserve(Reserved reserved, long claimedAtMillis, long forgetBefore) {
        int firstKept = 0;
        long forgotten = forgottenUpTo;
        while (firstKept < recent.length
                && (recent[firstKept].claimedAtMillis() < forgetBefore || recent.length - firstKept >= RECENT_LIMIT)) {
            forgotten = Math.max(forgotten, recent[firstKept].claimedAtMillis());
            firstKept++;
        }
        Applied[] kept = Arrays.copyOfRange(recent, firstKept, recent.length + 1);
        kept[kept.length - 1] = new Applied(reserved.orderId(), claimedAtMillis);
        return new StockBucket(stock, available - reserved.quantity(), kept, forgotten, reserved);
    }
}
