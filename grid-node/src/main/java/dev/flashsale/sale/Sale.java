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
 *
 * <p>MySQL's {@code sales} row is ops' source of truth: {@code version} is that row's version
 * (0 for a sale created without MySQL), and only a newer one revises the sale
 * ({@link ReviseSale}). {@code stock} is the units ops want on sale in all; the buckets hold
 * them as the stock plan numbered {@code stockPlan} split them ({@code SetStock}).
 * {@code paused}: purchases are refused while ops hold the sale.
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
        long scheduledAtMillis,
        boolean paused,
        long version,
        long stockPlan) {

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
        if (paused) {
            return SaleStatus.PAUSED;
        }
        return remaining > 0 ? SaleStatus.OPEN : SaleStatus.SOLD_OUT;
    }

    /** This sale as a newer version of its MySQL row has it; its buckets and stock plan stay. */
    Sale revisedBy(CatalogRow row, long now) {
        return new Sale(id, row.name(), row.price(), row.stock(), row.startsAtMillis(), row.endsAtMillis(),
                row.perShopperLimit(), row.paymentWindowSeconds() * 1_000, bucketSalts, now, row.paused(), row.version(),
                stockPlan);
    }

    Sale withStockPlan(long plan) {
        return new Sale(id, name, price, stock, startsAtMillis, endsAtMillis, perShopperLimit, paymentWindowMillis,
                bucketSalts, scheduledAtMillis, paused, version, plan);
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
