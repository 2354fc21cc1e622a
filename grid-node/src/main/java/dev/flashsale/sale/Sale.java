package dev.flashsale.sale;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;

import dev.flashsale.stock.StockKey;

/**
 * A flash sale as ops scheduled it: fixed stock on sale from {@code startsAtMillis}
 * (inclusive) to {@code endsAtMillis} (exclusive).
 *
 * <p>Its stock is split over {@code bucketSalts.length} buckets. Bucket {@code i}
 * lives under {@link #bucket(int)}; the salts were chosen when the sale was
 * created so that every bucket hashes to a partition of its own. {@code scheduledAtMillis} is
 * when ops last created or changed it.
 */
public record Sale(
        String id,
        String name,
        BigDecimal price,
        int stock,
        long startsAtMillis,
        long endsAtMillis,
        int perShopperLimit,
        long paymentWindowMillis,
        int[] bucketSalts,
        long scheduledAtMillis) {

    public static final int DEFAULT_PER_SHOPPER_LIMIT = 1;
    public static final Duration DEFAULT_PAYMENT_WINDOW = Duration.ofMinutes(15);

    public int buckets() {
        return bucketSalts.length;
    }

    public StockKey bucket(int index) {
        return new StockKey(id, index, bucketSalts[index]);
    }

    /** The bucket a shopper tries first; the others are tried in order after it. */
    public int homeBucket(String shopperId) {
        return Math.floorMod(spread(shopperId.hashCode()), buckets());
    }

    /** Units bucket {@code index} starts with: the stock split evenly, the remainder to the first buckets. */
    public int initialStockOf(int index) {
        return stock / buckets() + (index < stock % buckets() ? 1 : 0);
    }

    public SaleStatus status(Instant now, int remaining) {
        long at = now.toEpochMilli();
        if (at < startsAtMillis) {
            return SaleStatus.UPCOMING;
        }
        if (at >= endsAtMillis) {
            return SaleStatus.ENDED;
        }
        return remaining > 0 ? SaleStatus.OPEN : SaleStatus.SOLD_OUT;
    }

    public boolean isOpenAt(Instant now) {
        long at = now.toEpochMilli();
        return at >= startsAtMillis && at < endsAtMillis;
    }

    /**
     * Whether the sale's buckets may still be written at {@code now}: until an hour past its
     * end and payment window, settlement may still fence them and record their progress.
     */
    public boolean mayStillWriteAt(Instant now) {
        return now.toEpochMilli() < endsAtMillis + paymentWindowMillis + Duration.ofHours(1).toMillis();
    }

    public Instant startsAt() {
        return Instant.ofEpochMilli(startsAtMillis);
    }

    public Instant endsAt() {
        return Instant.ofEpochMilli(endsAtMillis);
    }

    public Duration paymentWindow() {
        return Duration.ofMillis(paymentWindowMillis);
    }

    // Shopper ids are often sequential ("shopper-17"); mix the bits so neighbours land on different buckets.
    private static int spread(int hash) {
        int h = hash * 0x9E3779B9;
        return h ^ (h >>> 16);
    }
}
