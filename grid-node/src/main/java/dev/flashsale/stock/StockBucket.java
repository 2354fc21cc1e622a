package dev.flashsale.stock;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.UUID;

/**
 * One bucket of a sale's stock.
 *
 * <p>Invariant: {@code 0 <= available <= stock}; {@code stock - available} units are taken.
 *
 * <p>The replay memory remembers the latest orders this bucket reserved, so that a
 * {@link ReserveStock} that runs again for the same order (a retried call after a member died,
 * a shopper's retry with the same key) returns the first answer instead of taking a second unit.
 * It keeps at most {@link #RECENT_LIMIT} orders, none claimed longer ago than the replay window,
 * oldest first: {@code recentOrders} holds two longs per order (its id as a UUID) and
 * {@code recentClaims} the time each order's claim was made. {@code forgottenUpTo} is the latest
 * claim time of an order dropped from the memory: a retry of an order claimed at or before it
 * cannot be told apart from a new one, and is answered {@link Reservation.Outcome#UNKNOWN}
 * rather than risk a second unit.
 *
 * <p>The memory lives only in the bucket objects the processors run on: the owner's and the
 * backup's, which run the same processors and so remember the same orders, and the backup keeps
 * it when it is promoted. A serialized copy (the event journal's, a migration's, a new backup's)
 * carries no memory; it {@linkplain #forgetAll() forgets everything} instead, so a retry
 * reaching a copy is answered {@code UNKNOWN}, never served twice. That keeps the journal, which
 * holds the old and the new value of every reservation, at a few hundred bytes an event instead
 * of 6 KB (see {@link StockBucketSerializer}).
 *
 * <p>{@code last} is the reservation that produced this value: the event the outbox publishes.
 * Only {@link ReserveStock} sets it, so a journaled value that has one is a new reservation.
 */
public record StockBucket(int stock, int available, long[] recentOrders, long[] recentClaims, long forgottenUpTo,
                          Reserved last) {

    public static final int RECENT_LIMIT = 128;
    private static final long[] NOTHING = new long[0];

    public static StockBucket withStock(int units) {
        return new StockBucket(units, units, NOTHING, NOTHING, Long.MIN_VALUE, null);
    }

    public int taken() {
        return stock - available;
    }

    /** How many orders the replay memory holds. */
    public int remembered() {
        return recentClaims.length;
    }

    public boolean hasReserved(String orderId) {
        return hasReserved(idOf(orderId));
    }

    boolean hasReserved(UUID orderId) {
        long most = orderId.getMostSignificantBits();
        long least = orderId.getLeastSignificantBits();
        for (int i = 0; i < recentOrders.length; i += 2) {
            if (recentOrders[i] == most && recentOrders[i + 1] == least) {
                return true;
            }
        }
        return false;
    }

    /** A copy of a bucket, as {@link StockBucketSerializer} reads it: it remembers no order. */
    static StockBucket copy(int stock, int available, long forgottenUpTo, Reserved last) {
        return new StockBucket(stock, available, NOTHING, NOTHING, forgottenUpTo, last);
    }

    /** This bucket as a copy sees it: no order remembered, every order it remembered forgotten. */
    public StockBucket forgetAll() {
        long forgotten = forgottenUpTo;
        for (long claimedAt : recentClaims) {
            forgotten = Math.max(forgotten, claimedAt);
        }
        return copy(stock, available, forgotten, last);
    }

    /**
     * This bucket with the units of {@code reserved} (whose order id is {@code orderId}) taken,
     * forgetting orders claimed before {@code forgetBefore}.
     */
    StockBucket reserve(Reserved reserved, UUID orderId, long claimedAtMillis, long forgetBefore) {
        int firstKept = 0;
        long forgotten = forgottenUpTo;
        while (firstKept < recentClaims.length
                && (recentClaims[firstKept] < forgetBefore || recentClaims.length - firstKept >= RECENT_LIMIT)) {
            forgotten = Math.max(forgotten, recentClaims[firstKept]);
            firstKept++;
        }
        long[] claims = Arrays.copyOfRange(recentClaims, firstKept, recentClaims.length + 1);
        claims[claims.length - 1] = claimedAtMillis;
        long[] orders = Arrays.copyOfRange(recentOrders, 2 * firstKept, recentOrders.length + 2);
        orders[orders.length - 2] = orderId.getMostSignificantBits();
        orders[orders.length - 1] = orderId.getLeastSignificantBits();
        return new StockBucket(stock, available - reserved.quantity(), orders, claims, forgotten, reserved);
    }

    /**
     * Order ids are name-based UUIDs (the API derives them from sale, shopper and idempotency
     * key); any other id is hashed into one the same way, so that the memory stays two longs
     * per order whatever the caller sends.
     */
    static UUID idOf(String orderId) {
        if (orderId.length() == 36 && orderId.charAt(8) == '-') {
            try {
                return UUID.fromString(orderId);
            } catch (IllegalArgumentException notAUuid) {
                // falls through to hashing
            }
        }
        return UUID.nameUUIDFromBytes(orderId.getBytes(StandardCharsets.UTF_8));
    }
}
