package dev.flashsale.api.settlement;

import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.hazelcast.cluster.MembershipAdapter;
import com.hazelcast.cluster.MembershipEvent;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.IMap;
import com.hazelcast.query.Predicates;

import dev.flashsale.api.settlement.SettlementLedger.BucketProgress;
import dev.flashsale.api.settlement.SettlementLedger.RecordedOrder;
import dev.flashsale.api.settlement.SettlementLedger.SlotCount;
import dev.flashsale.grid.Maps;
import dev.flashsale.purchase.ConfirmPurchase;
import dev.flashsale.purchase.Purchase;
import dev.flashsale.purchase.Purchases;
import dev.flashsale.purchase.ReleaseClaim;
import dev.flashsale.purchase.ShopperKey;
import dev.flashsale.sale.Sale;
import dev.flashsale.stock.FenceBucket;
import dev.flashsale.stock.Fenced;
import dev.flashsale.stock.RaiseSlotCounts;
import dev.flashsale.stock.RecordProgress;
import dev.flashsale.stock.StockBucket;
import dev.flashsale.stock.StockKey;

/**
 * Settles what a crash left unknown, from the reservation events in MySQL, which are the
 * source of truth. Every {@value #PERIOD_MILLIS} ms, on a thread of its own:
 *
 * <ol>
 *   <li><b>Progress.</b> Each bucket learns what MySQL has of it ({@link RecordProgress}): the
 *       newest of its events there, which frees its journal share, and the units it owes the
 *       sale back (of its duplicate reservations, and of its orders that ended unpaid). A bucket that counts fewer reservations
 *       than MySQL holds takes MySQL's counts ({@link RaiseSlotCounts}); every bucket of a sale
 *       that may still sell is asked again after a member leaves or joins, and every
 *       {@value #RECHECK_MILLIS} ms, compared with MySQL member by member, and checked for
 *       reservations that never reached MySQL ({@link UnrecordedReservations}).</li>
 *   <li><b>Claims whose lease ended.</b> For each sale with such {@code PENDING} claims: every
 *       bucket is fenced up to the latest of their leases ({@link FenceBucket}), so no call
 *       still on its way can take a unit for them afterwards, and the fence's answer (which
 *       reservations each bucket had made) is kept. Once MySQL holds every one of those,
 *       MySQL knows every unit taken for the claims the fence covers, however much the sale
 *       went on selling since. A claim whose order is there becomes
 *       {@code RESERVED}; any other is released, since no unit was taken for it and none can
 *       be.</li>
 * </ol>
 *
 * <p>Every step is idempotent and MySQL's answer is final once caught up, so several API
 * nodes settling at once agree. A sale whose event path is behind is left for a later round:
 * a claim stays {@code PENDING} until the path catches up, never decided on a guess.
 */
public final class Settlement implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Settlement.class);

    static final long PERIOD_MILLIS = 1_000;
    static final long RECHECK_MILLIS = 10_000;
    /** Settlement waits this long past a lease's end: it absorbs the skew between API nodes' clocks. */
    static final long SKEW_MILLIS = 2_000;
    /** Claims settled per sale and round: bounds a round's MySQL lookup. */
    private static final int CLAIMS_PER_ROUND = 500;

    private final ScheduledExecutorService rounds = Executors.newSingleThreadScheduledExecutor(task -> {
        Thread thread = new Thread(task, "settlement");
        thread.setDaemon(true);
        return thread;
    });

    private final HazelcastInstance hazelcast;
    private final IMap<String, Sale> sales;
    private final IMap<StockKey, StockBucket> stock;
    private final IMap<ShopperKey, Purchases> purchases;
    private final SettlementLedger ledger;
    private final Clock clock;
    private final Map<StockKey, RecordProgress> reported = new ConcurrentHashMap<>();
    private final UnrecordedReservations unrecorded = new UnrecordedReservations();
    /** Set when a member leaves and every {@value #RECHECK_MILLIS} ms: the next round reports to every live bucket again. */
    private volatile boolean recheckDue;
    /** Per sale, the fence this node set and awaits MySQL for. */
    private final Map<String, Fence> fences = new ConcurrentHashMap<>();

    public Settlement(HazelcastInstance hazelcast, SettlementLedger ledger, Clock clock) {
        this.hazelcast = hazelcast;
        this.sales = Maps.sales(hazelcast);
        this.stock = Maps.stock(hazelcast);
        this.purchases = Maps.purchases(hazelcast);
        this.ledger = ledger;
        this.clock = clock;
    }

    public void start() {
        hazelcast.getCluster().addMembershipListener(new MembershipAdapter() {
            @Override
            public void memberRemoved(MembershipEvent event) {
                unrecorded.forgetAll();
                recheck();
            }

            @Override
            public void memberAdded(MembershipEvent event) {
                // (a side of a split merging in joins as new members)
                unrecorded.forgetAll();
                recheck();
            }
        });
        rounds.scheduleWithFixedDelay(this::recheck, RECHECK_MILLIS, RECHECK_MILLIS, TimeUnit.MILLISECONDS);
        rounds.scheduleWithFixedDelay(this::roundLoggingFailures, PERIOD_MILLIS, PERIOD_MILLIS, TimeUnit.MILLISECONDS);
    }

    /** Has the next round ask every bucket of a sale that may still sell again (see {@link #round}). */
    public void recheck() {
        recheckDue = true;
    }

    @Override
    public void close() {
        rounds.shutdownNow();
    }

    /** One round: progress reported, claims settled where MySQL has caught up. Blocking. */
    public void round() throws SQLException {
        reportProgress();
        settleEndedClaims();
    }

    private void roundLoggingFailures() {
        try {
            round();
        } catch (Exception e) {
            // MySQL or the grid away: the next round tries again.
            LOG.warn("settlement round failed, retrying in {} ms: {}", PERIOD_MILLIS, e.toString());
        }
    }

    private void reportProgress() throws SQLException {
        boolean recheck = recheckDue;
        recheckDue = false;
        try {
            reportProgress(recheck);
        } catch (SQLException | RuntimeException e) {
            // (a recheck cut short, as by a call failing mid-migration, is done again next round)
            recheckDue |= recheck;
            throw e;
        }
    }

    private void reportProgress(boolean recheck) throws SQLException {
        Instant now = clock.instant();
        for (BucketProgress progress : ledger.progress()) {
            Sale sale = sales.get(progress.saleId());
            if (sale == null || progress.bucket() < 0 || progress.bucket() >= sale.buckets()) {
                continue;
            }
            StockKey key = sale.bucket(progress.bucket());
            // (compared without its time: a report is new when what it says is)
            RecordProgress report = new RecordProgress(progress.readUpTo(), (int) progress.unitsToGiveBack(), 0);
            if (!report.equals(reported.get(key)) || recheck && sale.mayStillWriteAt(now)) {
                Long counted = stock.executeOnKey(key,
                        new RecordProgress(report.readUpTo(), report.returned(), now.toEpochMilli()));
                reported.put(key, report);
                if (counted != null && counted < progress.reservations()) {
                    raiseToMysql(key, ledger.slotsOf(key.saleId(), key.bucket()));
                }
            }
        }
        if (recheck) {
            recheckLiveBuckets(now);
        }
    }

    /**
     * After a member left (its partitions' backups took over) or joined (a merge), and every
     * {@value #RECHECK_MILLIS} ms, every bucket of a sale that may still sell is compared with
     * MySQL member by member: it is raised where it counts fewer than MySQL holds (the totals
     * can hide that while its newer reservations are on their way), and reservations it counted
     * that never reached MySQL are an alarm ({@link UnrecordedReservations}).
     */
    private void recheckLiveBuckets(Instant now) throws SQLException {
        Instant pathCarried = ledger.pathCarried();
        for (Sale sale : sales.values()) {
            Map<Integer, BucketProgress> progress = sale.mayStillWriteAt(now) ? ledger.progressOf(sale.id()) : Map.of();
            for (int i = 0; i < sale.buckets(); i++) {
                StockKey key = sale.bucket(i);
                if (!sale.mayStillWriteAt(now)) {
                    unrecorded.forget(key);
                    continue;
                }
                List<SlotCount> inMysql = ledger.slotsOf(sale.id(), i);
                raiseToMysql(key, inMysql);
                StockBucket bucket = stock.get(key);
                if (bucket != null) {
                    List<String> missing = unrecorded.check(key, bucket, inMysql, readUpTo(progress, i), now, pathCarried,
                            ledger);
                    if (!missing.isEmpty()) {
                        raiseUnrecordedAlarm(key, missing);
                    }
                }
            }
        }
    }

    /** The newest of a bucket's events MySQL has: reservations, ends and returns alike. */
    private static long readUpTo(Map<Integer, BucketProgress> progress, int bucket) {
        BucketProgress read = progress.get(bucket);
        return read == null ? 0 : read.readUpTo();
    }

    /**
     * Raises each of the bucket's per-member counts to MySQL's, where it is below: a promoted
     * backup that missed a reservation the owner answered. The bucket then never offers a unit
     * MySQL holds an order for. Changes nothing where no count is below.
     */
    private void raiseToMysql(StockKey key, List<SlotCount> slots) {
        SlotCounts inMysql = SlotCounts.of(slots);
        if (stock.executeOnKey(key, new RaiseSlotCounts(inMysql.ids(), inMysql.reservations(), inMysql.units(),
                inMysql.newestWrite()))) {
            LOG.warn("bucket {} of sale {} counted fewer reservations of a member than MySQL holds (a backup promoted "
                    + "without one); raised to MySQL's counts", key.bucket(), key.saleId());
        }
    }

    /**
     * Records the alarm where the outbox records journal losses, which reconciliation shows
     * for the sale's buckets on that partition: the events are still in the journal unless it
     * overwrote them, and a new outbox job, which reads the journal from its start, publishes
     * them again (MySQL keeps each reservation once).
     */
    private void raiseUnrecordedAlarm(StockKey key, List<String> missing) {
        String alarm = "reservations of bucket " + key.bucket() + " of sale " + key.saleId()
                + " that the grid counted never reached MySQL: " + String.join("; ", missing)
                + ". Replace the outbox job (cancel it and run the submitter) to publish the journal again";
        int partition = hazelcast.getPartitionService().getPartition(key).getPartitionId();
        Maps.journalLosses(hazelcast).putIfAbsent(partition, alarm);
        LOG.error(alarm);
    }

    private void settleEndedClaims() throws SQLException {
        long cutoff = clock.millis() - SKEW_MILLIS;
        Map<String, List<Claim>> bySale = new LinkedHashMap<>();
        for (Map.Entry<ShopperKey, Purchases> shopper : purchases.entrySet(Predicates.lessThan("nextDeadline", cutoff))) {
            for (Purchase order : shopper.getValue().orders()) {
                if (order.isPending() && order.leaseUntilMillis() < cutoff) {
                    List<Claim> claims = bySale.computeIfAbsent(shopper.getKey().saleId(), sale -> new ArrayList<>());
                    if (claims.size() < CLAIMS_PER_ROUND) {
                        claims.add(new Claim(shopper.getKey(), order));
                    }
                }
            }
        }
        for (Map.Entry<String, List<Claim>> sale : bySale.entrySet()) {
            settle(sale.getKey(), sale.getValue());
        }
    }

    private void settle(String saleId, List<Claim> claims) throws SQLException {
        Sale sale = sales.get(saleId);
        if (sale == null) {
            // Without the sale its buckets cannot be fenced: nothing is decided on a guess.
            return;
        }
        Fence fence = fences.get(saleId);
        if (fence == null) {
            fence = fence(sale, claims.stream().mapToLong(claim -> claim.order().leaseUntilMillis()).max().orElseThrow());
            if (fence == null) {
                return;
            }
            fences.put(saleId, fence);
        }
        if (!caughtUp(sale, fence)) {
            return;
        }
        long leaseEnd = fence.leaseEnd();
        List<Claim> covered = claims.stream().filter(claim -> claim.order().leaseUntilMillis() <= leaseEnd).toList();
        Map<String, RecordedOrder> recorded = ledger.orders(covered.stream().map(claim -> claim.order().orderId()).toList());
        long now = clock.millis();
        for (Claim claim : covered) {
            RecordedOrder order = recorded.get(claim.order().orderId());
            if (order != null) {
                purchases.executeOnKey(claim.shopper(), new ConfirmPurchase(order.orderId(), claim.order().quantity(),
                        order.bucket(), now, order.expiresAt().toEpochMilli(), order.unitPrice()));
            } else {
                purchases.executeOnKey(claim.shopper(), new ReleaseClaim(claim.order().orderId(), leaseEnd));
            }
        }
        fences.remove(saleId);
        LOG.info("settled {} claims of sale {} whose attempts were cut off: {} reserved, {} released", covered.size(), saleId,
                recorded.size(), covered.size() - recorded.size());
    }

    /** Fences every bucket of the sale up to {@code leaseEnd}: what each had written by then, or null if one could not be fenced yet. */
    private Fence fence(Sale sale, long leaseEnd) {
        Fenced[] buckets = new Fenced[sale.buckets()];
        for (int bucket = 0; bucket < sale.buckets(); bucket++) {
            Fenced fenced = stock.executeOnKey(sale.bucket(bucket), new FenceBucket(leaseEnd));
            if (!fenced.fenced()) {
                return null;
            }
            buckets[bucket] = fenced;
        }
        return new Fence(leaseEnd, buckets);
    }

    /**
     * Whether MySQL holds every reservation each bucket had made when fenced: per member, as
     * many as the fence reported among those written at or before the fence's write count.
     * Counting all of a bucket's reservations would not do: one made after the fence can reach
     * MySQL before one made before it (they travel on different Kafka partitions), and the
     * count would be reached with a fenced-off claim's reservation still on its way.
     */
    private boolean caughtUp(Sale sale, Fence fence) throws SQLException {
        Map<Integer, BucketProgress> inMysql = ledger.progressOf(sale.id());
        for (int bucket = 0; bucket < fence.buckets().length; bucket++) {
            BucketProgress progress = inMysql.get(bucket);
            if ((progress == null ? 0 : progress.reservations()) < fence.buckets()[bucket].reservations()) {
                return false; // not even as many yet
            }
        }
        for (int bucket = 0; bucket < fence.buckets().length; bucket++) {
            Fenced fenced = fence.buckets()[bucket];
            if (fenced.reservations() == 0) {
                continue;
            }
            Map<String, Long> held = ledger.reservationsUpTo(sale.id(), bucket, fenced.writes());
            for (int slot = 0; slot < fenced.slotReservations().length; slot++) {
                if (held.getOrDefault(fenced.slot(slot).toString(), 0L) < fenced.slotReservations()[slot]) {
                    return false;
                }
            }
        }
        return true;
    }

    /** A fence set on every bucket of a sale: the lease end it covers, and what each bucket had written then. */
    private record Fence(long leaseEnd, Fenced[] buckets) {
    }

    private record Claim(ShopperKey shopper, Purchase order) {
    }
}
