package dev.flashsale.api.purchase;

import static dev.flashsale.api.grid.GridRetries.withRetries;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.Collectors;

import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.IMap;
import com.hazelcast.query.Predicates;

import dev.flashsale.api.grid.GridRetries;
import dev.flashsale.api.sales.SaleCatalog;
import dev.flashsale.api.sales.SaleNotOpenException;
import dev.flashsale.api.sales.SalePausedException;
import dev.flashsale.grid.Maps;
import dev.flashsale.purchase.ClaimQuota;
import dev.flashsale.purchase.ConfirmPurchase;
import dev.flashsale.purchase.Purchase;
import dev.flashsale.purchase.Purchases;
import dev.flashsale.purchase.ReleaseClaim;
import dev.flashsale.purchase.ShopperKey;
import dev.flashsale.sale.Sale;
import dev.flashsale.stock.ReserveStock;
import dev.flashsale.stock.StockBucket;
import dev.flashsale.stock.StockKey;

/**
 * Sells units of a sale to a shopper, in three grid steps keyed by an order id derived from
 * (sale, shopper, idempotency key):
 *
 * <ol>
 *   <li>{@link ClaimQuota} on the shopper's entry: the per-shopper limit, across API nodes, and
 *       the claim of one attempt, which alone may take units for the order until its lease ends;</li>
 *   <li>{@link ReserveStock} on the shopper's home bucket, then the next ones while they are
 *       empty: the only step that takes stock, atomically, never below zero;</li>
 *   <li>{@link ConfirmPurchase} (units taken) or {@link ReleaseClaim} (sold out).</li>
 * </ol>
 *
 * <p>Steps 1 and 3 are idempotent and resent when a member dies mid-call. Step 2 is never
 * resent: a bucket keeps no memory of orders, so a resend could take a second unit. When its
 * answer is lost the shopper is told {@link PurchaseOutcome.Pending}; the claim stays
 * {@code PENDING}, and once its lease has ended settlement decides it from the reservation
 * events (see {@code Settlement}). A retry with the same key meanwhile is answered
 * {@code Pending} too, and after settlement gets the order, or a fresh try if no unit was taken.
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
    private final SoldOutSales soldOutSales;

    public PurchaseService(HazelcastInstance hazelcast, SaleCatalog catalog, Clock clock) {
        this.catalog = catalog;
        this.purchases = Maps.purchases(hazelcast);
        this.stock = Maps.stock(hazelcast);
        this.clock = clock;
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
        if (sale.paused()) {
            throw new SalePausedException(sale.id());
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
        // Unique, not secret: a random UUID from SecureRandom would cost a lock per purchase.
        ThreadLocalRandom random = ThreadLocalRandom.current();
        String attemptId = new UUID(random.nextLong(), random.nextLong()).toString();
        boolean soldOut = soldOutSales.isSoldOut(sale.id());
        ClaimQuota claimQuota = soldOut
                ? ClaimQuota.ifKnown(orderId, attemptId, quantity, sale.perShopperLimit(), at)
                : new ClaimQuota(orderId, attemptId, quantity, sale.perShopperLimit(), at);
        return withRetries(() -> purchases.submitToKey(shopper, claimQuota))
                .thenCompose(claim -> switch (claim.outcome()) {
                    case NOT_CLAIMED -> answer(new PurchaseOutcome.SoldOut());
                    case CLAIMED -> reserve(sale, shopper, claim.order(), at);
                    case IN_PROGRESS -> answer(new PurchaseOutcome.Pending(orderId));
                    case COMPLETED -> answer(new PurchaseOutcome.Won(sale.id(), claim.order()));
                    case LIMIT_REACHED -> answer(new PurchaseOutcome.AlreadyPurchased(claim.order().orderId()));
                    case TOO_MANY_GIVEN_BACK -> answer(new PurchaseOutcome.TooManyGivenBack());
                    case KEY_REUSED -> answer(new PurchaseOutcome.KeyReused(orderId));
                });
    }

    private CompletionStage<PurchaseOutcome> reserve(Sale sale, ShopperKey shopper, Purchase claim, long now) {
        long expiresAt = now + sale.paymentWindowMillis();
        ReserveStock reserve = new ReserveStock(claim.orderId(), shopper.shopperId(), claim.quantity(), sale.price(),
                now, expiresAt, claim.leaseUntilMillis());
        return takeFromBuckets(sale, reserve, sale.homeBucket(shopper.shopperId()), 0, new Walk(0, false)).thenCompose(taken -> {
            if (taken.outcome() == Taken.Outcome.WON) {
                ConfirmPurchase confirm = new ConfirmPurchase(claim.orderId(), claim.quantity(), taken.bucket(), now, expiresAt,
                        sale.price());
                return withRetries(() -> purchases.submitToKey(shopper, confirm))
                        .thenApply(order -> (PurchaseOutcome) new PurchaseOutcome.Won(sale.id(), order));
            }
            if (taken.outcome() == Taken.Outcome.UNKNOWN) {
                // The claim stays PENDING and keeps counting against the limit: settlement
                // decides from the reservation events whether a unit was taken.
                return answer(new PurchaseOutcome.Pending(claim.orderId()));
            }
            Walk walk = taken.walk();
            PurchaseOutcome lost;
            if (walk.backlog()) {
                lost = new PurchaseOutcome.Busy();
            } else if (walk.mostAvailable() > 0) {
                lost = new PurchaseOutcome.NotEnoughStock(walk.mostAvailable());
            } else {
                soldOutSales.saw(sale.id());
                lost = new PurchaseOutcome.SoldOut();
            }
            ReleaseClaim release = ReleaseClaim.byItsAttempt(claim.orderId(), claim.attemptId());
            return withRetries(() -> purchases.submitToKey(shopper, release)).thenApply(released -> lost);
        });
    }

    /**
     * Tries bucket {@code home + attempt} and, while it refuses, the ones after it. Each call is
     * sent once: a call whose answer is lost, or a bucket that fenced the attempt off, ends the
     * walk with the outcome unknown, since trying another bucket could take a second unit.
     */
    private CompletionStage<Taken> takeFromBuckets(Sale sale, ReserveStock reserve, int home, int attempt, Walk walk) {
        if (attempt == sale.buckets()) {
            return CompletableFuture.completedFuture(new Taken(Taken.Outcome.REFUSED, -1, walk));
        }
        int bucket = (home + attempt) % sale.buckets();
        return stock.submitToKey(sale.bucket(bucket), reserve).toCompletableFuture().handle((reservation, failure) -> {
            if (failure != null) {
                if (!GridRetries.isUnreachable(failure)) {
                    throw failure instanceof CompletionException completion ? completion : new CompletionException(failure);
                }
                return CompletableFuture.completedFuture(new Taken(Taken.Outcome.UNKNOWN, bucket, walk));
            }
            return switch (reservation.outcome()) {
                case WON -> CompletableFuture.completedFuture(new Taken(Taken.Outcome.WON, bucket, walk));
                case FENCED -> CompletableFuture.completedFuture(new Taken(Taken.Outcome.UNKNOWN, bucket, walk));
                case INSUFFICIENT -> takeFromBuckets(sale, reserve, home, attempt + 1,
                        new Walk(Math.max(walk.mostAvailable(), reservation.available()), walk.backlog()));
                case BACKLOG -> takeFromBuckets(sale, reserve, home, attempt + 1, new Walk(walk.mostAvailable(), true));
            };
        }).thenCompose(next -> next);
    }

    /** Every shopper's orders in a sale, pending or reserved, from the index on the purchases' sale id. Blocking. */
    public List<Purchases> shoppersIn(String saleId) {
        return List.copyOf(purchases.values(Predicates.equal("__key.saleId", saleId)));
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

    /** How the walk over the buckets ended, and at which bucket. */
    private record Taken(Outcome outcome, int bucket, Walk walk) {

        enum Outcome { WON, REFUSED, UNKNOWN }
    }

    /** What the refusing buckets said: the most any of them still held, and whether one refused for its journal backlog. */
    private record Walk(int mostAvailable, boolean backlog) {
    }
}
