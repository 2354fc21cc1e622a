package dev.flashsale.api.orders;

import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.IMap;
import com.hazelcast.query.Predicates;

import dev.flashsale.api.settlement.SettlementLedger;
import dev.flashsale.grid.Maps;
import dev.flashsale.purchase.ExpireOrders;
import dev.flashsale.purchase.MarkRecorded;
import dev.flashsale.purchase.Purchase;
import dev.flashsale.purchase.Purchases;
import dev.flashsale.purchase.ShopperKey;
import dev.flashsale.sale.Sale;

/**
 * Moves orders along when their time comes, every {@value #PERIOD_MILLIS} ms on a thread of
 * its own, from the grid's state alone: there is no per-order timer that a member's death could
 * lose. Each round looks up the shoppers' entries whose {@code nextDeadline} has passed (a
 * sorted index), then:
 *
 * <ol>
 *   <li><b>Expiry.</b> Every reserved order whose payment window ended is expired
 *       ({@link ExpireOrders}) and its bucket journals it, which gets its units back.</li>
 *   <li><b>Recording.</b> Every final state MySQL shows is marked recorded
 *       ({@link MarkRecorded}); one it does not show {@value #RESEND_AFTER_MILLIS} ms after the
 *       order ended is journaled again (the node that ended it died before its bucket journaled
 *       it, the bucket's journal share was full, the journal lost it). Needs MySQL.</li>
 * </ol>
 *
 * <p>Every step is idempotent (an order expires once, a repeated event changes nothing in
 * MySQL), so any number of API nodes sweep at once, and a round cut short by a member leaving
 * is simply done again by the next.
 */
public final class OrderSweep implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(OrderSweep.class);

    static final long PERIOD_MILLIS = 1_000;
    static final long RESEND_AFTER_MILLIS = 10_000;
    /**
     * An order expires this long after its window ended by this node's clock: the clocks of the
     * node that took the order and of the one that sweeps may differ by that much without a
     * window being cut short (settlement allows the same skew).
     */
    static final long EXPIRY_GRACE_MILLIS = 2_000;
    /** Final states checked against MySQL per round: bounds a round's lookup. */
    private static final int CHECKS_PER_ROUND = 1_000;

    private final ScheduledExecutorService rounds = Executors.newSingleThreadScheduledExecutor(task -> {
        Thread thread = new Thread(task, "order-sweep");
        thread.setDaemon(true);
        return thread;
    });

    private final IMap<ShopperKey, Purchases> purchases;
    private final IMap<String, Sale> sales;
    private final OrderService orders;
    private final SettlementLedger ledger;
    private final Clock clock;
    /** Order id to when this node last journaled it again. */
    private final Map<String, Long> resent = new ConcurrentHashMap<>();

    /** @param ledger MySQL, to learn which final states it shows; null on a node without it (expiry only) */
    public OrderSweep(HazelcastInstance hazelcast, OrderService orders, SettlementLedger ledger, Clock clock) {
        this.purchases = Maps.purchases(hazelcast);
        this.sales = Maps.sales(hazelcast);
        this.orders = orders;
        this.ledger = ledger;
        this.clock = clock;
    }

    public void start() {
        rounds.scheduleWithFixedDelay(this::roundLoggingFailures, PERIOD_MILLIS, PERIOD_MILLIS, TimeUnit.MILLISECONDS);
    }

    @Override
    public void close() {
        rounds.shutdownNow();
    }

    private void roundLoggingFailures() {
        try {
            round();
        } catch (Exception e) {
            LOG.warn("order sweep failed, retrying in {} ms: {}", PERIOD_MILLIS, e.toString());
        }
    }

    /** One round. Blocking. */
    public void round() throws SQLException {
        long now = clock.millis();
        Set<ShopperKey> expiring = new HashSet<>();
        Map<String, ShopperOrder> unrecorded = new HashMap<>();
        long dueBy = now - EXPIRY_GRACE_MILLIS;
        for (Map.Entry<ShopperKey, Purchases> entry : purchases.entrySet(Predicates.lessEqual("nextDeadline", dueBy))) {
            for (Purchase order : entry.getValue().orders()) {
                if (order.isReserved() && order.expiresAtMillis() <= dueBy) {
                    expiring.add(entry.getKey());
                } else if (order.awaitsRecording() && order.endedAtMillis() + Purchases.RECORDING_CHECK_MILLIS <= now
                        && !resentLately(order.orderId(), now) && unrecorded.size() < CHECKS_PER_ROUND) {
                    // (one this node sent again lately waits its turn, so that orders that never
                    // show in MySQL cannot take every place of a round)
                    unrecorded.put(order.orderId(), new ShopperOrder(entry.getKey(), order));
                }
            }
        }
        expire(expiring, dueBy, now);
        if (ledger != null) {
            record(unrecorded, now);
        }
    }

    private void expire(Set<ShopperKey> shoppers, long dueBy, long now) {
        if (shoppers.isEmpty()) {
            return;
        }
        List<CompletableFuture<Boolean>> journaled = new ArrayList<>();
        purchases.executeOnKeys(shoppers, new ExpireOrders(dueBy, now)).forEach((shopper, expired) -> {
            for (Purchase order : expired.orders()) {
                journaled.add(orders.journal(shopper, order).toCompletableFuture());
            }
        });
        CompletableFuture.allOf(journaled.toArray(CompletableFuture[]::new)).join();
        if (!journaled.isEmpty()) {
            LOG.info("expired {} orders whose payment window ended", journaled.size());
        }
    }

    private boolean resentLately(String orderId, long now) {
        return resent.getOrDefault(orderId, Long.MIN_VALUE) > now - RESEND_AFTER_MILLIS;
    }

    /**
     * Whether the sale's buckets may still be written (see {@link Sale#mayStillWriteAt}): past
     * that, their partitions' journal shares belong to newer sales, and an end is no longer sent
     * again; reconciliation shows the order as in flight.
     */
    private boolean mayStillJournal(String saleId, long now) {
        Sale sale = sales.get(saleId);
        return sale != null && sale.mayStillWriteAt(Instant.ofEpochMilli(now));
    }

    private void record(Map<String, ShopperOrder> unrecorded, long now) throws SQLException {
        resent.values().removeIf(at -> at < now - 2 * RESEND_AFTER_MILLIS);
        if (unrecorded.isEmpty()) {
            return;
        }
        Set<String> ended = ledger.ended(unrecorded.keySet());
        Map<ShopperKey, List<String>> recorded = new HashMap<>();
        List<CompletableFuture<Boolean>> journaled = new ArrayList<>();
        unrecorded.forEach((orderId, found) -> {
            if (ended.contains(orderId)) {
                recorded.computeIfAbsent(found.shopper(), shopper -> new ArrayList<>()).add(orderId);
            } else if (found.order().endedAtMillis() + RESEND_AFTER_MILLIS <= now && mayStillJournal(found.saleId(), now)) {
                resent.put(orderId, now);
                journaled.add(orders.journal(found.shopper(), found.order()).toCompletableFuture());
            }
        });
        recorded.forEach((shopper, ids) -> purchases.executeOnKey(shopper, new MarkRecorded(ids.toArray(String[]::new))));
        CompletableFuture.allOf(journaled.toArray(CompletableFuture[]::new)).join();
        if (!journaled.isEmpty()) {
            LOG.info("journaled {} ended orders again that MySQL did not show {} ms after they ended", journaled.size(),
                    RESEND_AFTER_MILLIS);
        }
    }
}
