package dev.flashsale.api.purchase;

import static dev.flashsale.api.grid.GridRetries.withRetries;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;
import java.util.stream.Collectors;

import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.IMap;
import com.hazelcast.query.Predicates;

import dev.flashsale.api.sales.SaleCatalog;
import dev.flashsale.api.sales.SaleNotOpenException;
import dev.flashsale.grid.Maps;
import dev.flashsale.purchase.ClaimQuota;
import dev.flashsale.purchase.ConfirmPurchase;
import dev.flashsale.purchase.Purchase;
import dev.flashsale.purchase.Purchases;
import dev.flashsale.purchase.QuotaClaim;
import dev.flashsale.purchase.ReleaseClaim;
import dev.flashsale.purchase.ShopperKey;
import dev.flashsale.sale.Sale;
import dev.flashsale.stock.Reservation;
import dev.flashsale.stock.ReserveStock;
import dev.flashsale.stock.StockBucket;
import dev.flashsale.stock.StockKey;

/**
 * Sells units of a sale to a shopper, in three idempotent grid steps keyed by an order id
 * derived from (sale, shopper, idempotency key):
 *
 * <ol>
 *   <li>{@link ClaimQuota} on the shopper's entry: the per-shopper limit, across API nodes;</li>
 *   <li>{@link ReserveStock} on the shopper's home bucket, then the next ones while they are
 *       empty: the only step that takes stock, atomically, never below zero;</li>
 *   <li>{@link ConfirmPurchase} (units taken) or {@link ReleaseClaim} (sold out).</li>
 * </ol>
 *
 * <p>Any step may run again: this service resends a call whose member died mid-call, and a
 * shopper retries with the same key. Each step answers a repeat with its first answer, so a
 * unit is taken at most once per order. A repeat of {@code ReserveStock} is marked as a retry:
 * a bucket that has forgotten the order answers "unknown" instead of taking another unit, and
 * the shopper is told {@link PurchaseOutcome.Pending}. A shopper's retry resumes a claim left
 * {@code PENDING} only within half the replay window (the other half absorbs clock skew
 * between API nodes); later it is answered {@code Pending} too.
 */
public final class PurchaseService {

    /** How long the node trusts that it saw a sale sold out before it tries the buckets again. */
    private static final Duration SOLD_OUT_MEMORY = Duration.ofSeconds(5);
    /** Reads who held claims in a sold-out sale: a blocking query, kept off the request and callback threads. */
    private static final Executor CLAIMANTS_LOADER = Executors.newSingleThreadExecutor(task -> {
        Thread thread = new Thread(task, "sold-out-claimants");
        thread.setDaemon(true);
        return thread;
    });

    private final SaleCatalog catalog;
    private final IMap<ShopperKey, Purchases> purchases;
    private final IMap<StockKey, StockBucket> stock;
    private final Clock clock;
    private final long replayWindowMillis;
    private final SoldOutSales soldOutSales;

    public PurchaseService(HazelcastInstance hazelcast, SaleCatalog catalog, Clock clock, Duration replayWindow) {
        this.catalog = catalog;
        this.purchases = Maps.purchases(hazelcast);
        this.stock = Maps.stock(hazelcast);
        this.clock = clock;
        this.replayWindowMillis = replayWindow.toMillis();
        this.soldOutSales = new SoldOutSales(SOLD_OUT_MEMORY, this::claimantsOf, CLAIMANTS_LOADER);
    }

    public CompletionStage<PurchaseOutcome> purchase(String shopperId, String saleId, int quantity, String idempotencyKey) {
        return catalog.find(saleId).thenCompose(sale -> purchase(sale, shopperId, quantity, idempotencyKey));
    }

    /** The shopper's orders in a sale. */
    public CompletionStage<Purchases> ordersOf(String shopperId, String saleId) {
        return catalog.find(saleId).thenCompose(sale -> withRetries(() -> purchases.getAsync(new ShopperKey(saleId, shopperId))))
                .thenApply(found -> found == null ? Purchases.NONE : found);
    }

    private CompletionStage<PurchaseOutcome> purchase(Sale sale, String shopperId, int quantity, String idempotencyKey) {
        Instant now = clock.instant();
        if (!sale.isOpenAt(now)) {
            throw new SaleNotOpenException(sale, now.isBefore(sale.startsAt()));
        }
        if (quantity > sale.perShopperLimit()) {
            throw new InvalidQuantityException("quantity must be 1 to " + sale.perShopperLimit() + " in this sale");
        }
        // Once this node saw the sale sold out, a shopper who held no claim then is answered
        // from memory (see SoldOutSales), and anyone else with one small call: the shopper's
        // entry answers for orders it already has (a retry of a won purchase still gets its
        // order) and claims nothing new.
        if (soldOutSales.isSoldOutFor(sale.id(), shopperId)) {
            return answer(new PurchaseOutcome.SoldOut());
        }
        String orderId = OrderIds.of(sale.id(), shopperId, idempotencyKey);
        ShopperKey shopper = new ShopperKey(sale.id(), shopperId);
        long at = now.toEpochMilli();
        boolean soldOut = soldOutSales.isSoldOut(sale.id());
        ClaimQuota claimQuota = soldOut
                ? ClaimQuota.ifKnown(orderId, quantity, sale.perShopperLimit(), at)
                : new ClaimQuota(orderId, quantity, sale.perShopperLimit(), at);
        return withRetries(() -> purchases.submitToKey(shopper, claimQuota))
                .thenCompose(claim -> switch (claim.outcome()) {
                    case NOT_CLAIMED -> answer(new PurchaseOutcome.SoldOut());
                    case CLAIMED -> reserve(sale, shopper, claim.order(), at, false);
                    case RESUMED -> at - claim.order().claimedAtMillis() < replayWindowMillis / 2
                            ? reserve(sale, shopper, claim.order(), at, true)
                            : answer(new PurchaseOutcome.Pending(orderId));
                    case COMPLETED -> answer(new PurchaseOutcome.Won(sale.id(), claim.order()));
                    case LIMIT_REACHED -> answer(new PurchaseOutcome.AlreadyPurchased(claim.order().orderId()));
                    case KEY_REUSED -> answer(new PurchaseOutcome.KeyReused(orderId));
                });
    }

    private CompletionStage<PurchaseOutcome> reserve(Sale sale, ShopperKey shopper, Purchase claim, long now, boolean resumed) {
        long expiresAt = now + sale.paymentWindowMillis();
        ReserveStock reserve = new ReserveStock(claim.orderId(), shopper.shopperId(), claim.quantity(), sale.price(),
                claim.claimedAtMillis(), now, expiresAt, replayWindowMillis, resumed);
        return takeFromBuckets(sale, reserve, sale.homeBucket(shopper.shopperId()), 0, 0).thenCompose(taken -> {
            if (taken.outcome() == Reservation.Outcome.WON) {
                ConfirmPurchase confirm = new ConfirmPurchase(claim.orderId(), claim.quantity(), taken.bucket(), now, expiresAt);
                return withRetries(() -> purchases.submitToKey(shopper, confirm))
                        .thenApply(order -> (PurchaseOutcome) new PurchaseOutcome.Won(sale.id(), order));
            }
            if (taken.outcome() == Reservation.Outcome.UNKNOWN) {
                // The claim stays PENDING and keeps counting against the limit: whether a unit
                // is taken shows when the bucket's reservation event reaches the orders.
                return answer(new PurchaseOutcome.Pending(claim.orderId()));
            }
            if (taken.mostAvailable() == 0) {
                soldOutSales.saw(sale.id());
            }
            PurchaseOutcome lost = taken.mostAvailable() > 0
                    ? new PurchaseOutcome.NotEnoughStock(taken.mostAvailable())
                    : new PurchaseOutcome.SoldOut();
            ReleaseClaim release = new ReleaseClaim(claim.orderId());
            return withRetries(() -> purchases.submitToKey(shopper, release)).thenApply(released -> lost);
        });
    }

    /**
     * Tries bucket {@code home + attempt} and, while it refuses, the ones after it. A call cut
     * off by a member's death is resent as a retry; a bucket that cannot tell whether it served
     * the order ends the walk, since taking from another bucket could take a second unit.
     */
    private CompletionStage<Taken> takeFromBuckets(Sale sale, ReserveStock reserve, int home, int attempt, int mostAvailable) {
        if (attempt == sale.buckets()) {
            return CompletableFuture.completedFuture(new Taken(Reservation.Outcome.INSUFFICIENT, -1, mostAvailable));
        }
        int bucket = (home + attempt) % sale.buckets();
        StockKey key = sale.bucket(bucket);
        return withRetries(() -> stock.submitToKey(key, reserve), () -> stock.submitToKey(key, reserve.asRetry()))
                .thenCompose(reservation -> reservation.outcome() == Reservation.Outcome.INSUFFICIENT
                        ? takeFromBuckets(sale, reserve, home, attempt + 1, Math.max(mostAvailable, reservation.available()))
                        : CompletableFuture.completedFuture(new Taken(reservation.outcome(), bucket, reservation.available())));
    }

    /** The shoppers holding a claim in a sale, from the index on the purchases' sale id. Blocking. */
    Set<String> claimantsOf(String saleId) {
        return purchases.keySet(Predicates.equal("__key.saleId", saleId)).stream()
                .map(ShopperKey::shopperId)
                .collect(Collectors.toUnmodifiableSet());
    }

    private static CompletionStage<PurchaseOutcome> answer(PurchaseOutcome outcome) {
        return CompletableFuture.completedFuture(outcome);
    }

    /** How the walk over the buckets ended, at which bucket, and the most any refusing bucket still held. */
    private record Taken(Reservation.Outcome outcome, int bucket, int mostAvailable) {
    }
}
