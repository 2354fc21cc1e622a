package dev.flashsale.bench.micro;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.AbstractMap.SimpleEntry;
import java.util.Map;
import java.util.UUID;

import dev.flashsale.purchase.ClaimQuota;
import dev.flashsale.purchase.ConfirmPurchase;
import dev.flashsale.purchase.Purchase;
import dev.flashsale.purchase.Purchases;
import dev.flashsale.purchase.QuotaClaim;
import dev.flashsale.purchase.ShopperKey;
import dev.flashsale.stock.Reservation;
import dev.flashsale.stock.ReserveStock;
import dev.flashsale.stock.StockBucket;
import dev.flashsale.stock.StockKey;

/**
 * A hot sale in the middle of its rush: the values its purchase path hands to the grid.
 * Every grid value is made by running the entry processors, never by a constructor, so the
 * benchmarks keep measuring what the shop does when the values' inner shape changes.
 */
final class HotSale {

    static final String SALE_ID = "summer-drop";
    static final StockKey BUCKET = new StockKey(SALE_ID, 3, 41);
    static final BigDecimal PRICE = new BigDecimal("49.00");
    static final int LIMIT_PER_SHOPPER = 1;

    /** A fixed clock: the entry processors read no clock either, every time is an argument. */
    static final long NOW = 1_795_000_000_000L;
    static final UUID MEMBER = UUID.fromString("7c1f3a52-0d4e-4c2b-9a61-2f3e4d5c6b7a");
    static final long PAYMENT_WINDOW_MILLIS = 900_000;

    /** Orders a bucket has reserved before the measured call: a bucket in the middle of its rush. */
    static final int ORDERS_SO_FAR = 1_000;

    private HotSale() {
    }

    /** An order id as the API derives it: a name-based UUID, the same length and shape. */
    static String orderId(int shopper) {
        String name = SALE_ID + '\n' + shopperId(shopper) + '\n' + "click-" + shopper;
        return UUID.nameUUIDFromBytes(name.getBytes(StandardCharsets.UTF_8)).toString();
    }

    static String shopperId(int shopper) {
        return "shopper-" + shopper;
    }

    /** Shopper {@code shopper}'s first click, claimed at {@code claimedAtMillis}. */
    static ReserveStock reserve(int shopper, long claimedAtMillis) {
        return new ReserveStock(orderId(shopper), shopperId(shopper), 1, PRICE, claimedAtMillis,
                claimedAtMillis + PAYMENT_WINDOW_MILLIS, claimedAtMillis + Purchase.ATTEMPT_LEASE_MILLIS);
    }

    /** Runs a reservation as the member {@link #MEMBER} would, with a journal share nothing here reaches. */
    static Reservation run(ReserveStock reserve, Map.Entry<StockKey, StockBucket> entry) {
        return reserve.process(entry, MEMBER, Long.MAX_VALUE);
    }

    /** The order of the shopper who clicks right now, after all the others. */
    static ReserveStock newOrder() {
        return reserve(ORDERS_SO_FAR, NOW);
    }

    /**
     * A bucket that has reserved {@link #ORDERS_SO_FAR} orders, one a millisecond, and still
     * holds {@code unitsLeft} units.
     */
    static StockBucket bucketAfterRush(int unitsLeft) {
        Map.Entry<StockKey, StockBucket> entry = new SimpleEntry<>(BUCKET, StockBucket.withStock(ORDERS_SO_FAR + unitsLeft));
        for (int shopper = 0; shopper < ORDERS_SO_FAR; shopper++) {
            Reservation reservation = run(reserve(shopper, claimedAt(shopper)), entry);
            if (!reservation.won()) {
                throw new IllegalStateException("the rush lost an order: " + reservation);
            }
        }
        return entry.getValue();
    }

    /** What a bucket with units answers a new order. */
    static Reservation reservationWon() {
        return run(newOrder(), new SimpleEntry<>(BUCKET, bucketAfterRush(1)));
    }

    static ClaimQuota claimQuota() {
        return new ClaimQuota(orderId(ORDERS_SO_FAR), "attempt-1", 1, LIMIT_PER_SHOPPER, NOW);
    }

    /** What a shopper's first claim answers: {@code CLAIMED}, with the pending order. */
    static QuotaClaim quotaClaim() {
        return claimQuota().process(new SimpleEntry<>(shopperKey(), null));
    }

    static ConfirmPurchase confirmPurchase() {
        return new ConfirmPurchase(orderId(ORDERS_SO_FAR), 1, BUCKET.bucket(), NOW, NOW + PAYMENT_WINDOW_MILLIS, PRICE);
    }

    /** A shopper's entry once the purchase went through: one {@code RESERVED} order. */
    static Purchases purchasesOfOneOrder() {
        Map.Entry<ShopperKey, Purchases> entry = new SimpleEntry<>(shopperKey(), null);
        claimQuota().process(entry);
        confirmPurchase().process(entry);
        return entry.getValue();
    }

    static ShopperKey shopperKey() {
        return new ShopperKey(SALE_ID, shopperId(ORDERS_SO_FAR));
    }

    private static long claimedAt(int shopper) {
        return NOW - ORDERS_SO_FAR + shopper;
    }
}
