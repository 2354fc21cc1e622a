package dev.flashsale.api.orders;

import static dev.flashsale.api.grid.GridRetries.withRetries;

import java.math.BigDecimal;
import java.time.Clock;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.IMap;
import com.hazelcast.query.Predicates;

import dev.flashsale.api.sales.SaleCatalog;
import dev.flashsale.grid.Maps;
import dev.flashsale.purchase.EndOrder;
import dev.flashsale.purchase.Ending;
import dev.flashsale.purchase.Purchase;
import dev.flashsale.purchase.Purchases;
import dev.flashsale.purchase.ShopperKey;
import dev.flashsale.stock.RecordEnding;
import dev.flashsale.stock.StockBucket;
import dev.flashsale.stock.StockKey;

/**
 * A shopper's orders after the purchase: read one, cancel one, pay one. A transition is two
 * steps: the shopper's entry decides it ({@link EndOrder}, exactly one of pay, cancel and
 * expiry wins), then the order's bucket journals it ({@link RecordEnding}), which carries it to
 * MySQL and, for a cancel or an expiry, gets the units back to the sale. If the second step is
 * lost (this node dies, the bucket's journal share is full), the order sweep does it again
 * until MySQL shows the final state ({@link OrderSweep}).
 */
public final class OrderService {

    private static final Logger LOG = LoggerFactory.getLogger(OrderService.class);

    private final SaleCatalog catalog;
    private final IMap<ShopperKey, Purchases> purchases;
    private final IMap<StockKey, StockBucket> stock;
    private final Clock clock;

    public OrderService(HazelcastInstance hazelcast, SaleCatalog catalog, Clock clock) {
        this.catalog = catalog;
        this.purchases = Maps.purchases(hazelcast);
        this.stock = Maps.stock(hazelcast);
        this.clock = clock;
    }

    /**
     * The order with this id among the shopper's own, in any sale; empty if the shopper has
     * none such (another shopper's order is as unknown as a made-up id). Blocking: a query of
     * the shopper's entries, by the index on their shopper id.
     */
    public Optional<ShopperOrder> find(String shopperId, String orderId) {
        for (Map.Entry<ShopperKey, Purchases> entry : purchases.entrySet(Predicates.equal("__key.shopperId", shopperId))) {
            Purchase order = entry.getValue().find(orderId);
            if (order != null) {
                return Optional.of(new ShopperOrder(entry.getKey(), order));
            }
        }
        return Optional.empty();
    }

    /** Cancels a reserved order. Blocking. */
    public Ending cancel(ShopperOrder found) {
        return end(found.shopper(), EndOrder.cancel(found.order().orderId(), clock.millis())).toCompletableFuture().join();
    }

    /** Pays the order {@code orderId} of {@code shopper} with payment {@code paymentId} of {@code amount}. */
    public CompletionStage<Ending> pay(ShopperKey shopper, String orderId, String paymentId, BigDecimal amount) {
        return end(shopper, EndOrder.pay(orderId, paymentId, amount, clock.millis()));
    }

    private CompletionStage<Ending> end(ShopperKey shopper, EndOrder transition) {
        return withRetries(() -> purchases.submitToKey(shopper, transition)).thenCompose(ending -> {
            if (!ending.journal()) {
                return CompletableFuture.completedFuture(ending);
            }
            return journal(shopper, ending.order()).thenApply(journaled -> ending);
        });
    }

    /**
     * Has the order's bucket journal its final state. Never fails: a failure is logged and left
     * to the sweep, since the state itself is decided and kept in the shopper's entry.
     */
    public CompletionStage<Boolean> journal(ShopperKey shopper, Purchase order) {
        return catalog.find(shopper.saleId())
                .thenCompose(sale -> withRetries(() -> stock.submitToKey(sale.bucket(order.bucket()),
                        new RecordEnding(shopper.shopperId(), order))))
                .exceptionally(failure -> {
                    LOG.warn("order {} is {} but its bucket did not journal it yet (the sweep will): {}", order.orderId(),
                            order.status(), failure.toString());
                    return false;
                });
    }
}
