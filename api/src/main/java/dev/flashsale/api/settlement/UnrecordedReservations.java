package dev.flashsale.api.settlement;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

import dev.flashsale.api.settlement.SettlementLedger.SlotCount;
import dev.flashsale.stock.StockBucket;
import dev.flashsale.stock.StockKey;

/**
 * Notices reservations the grid counted that never reached MySQL, however they were lost on the
 * way: a journal that a promoted backup rewound behind the outbox's position (Hazelcast's reader
 * then skips ahead without reporting a loss), events deleted from Kafka before the orders job
 * read them, a dead letter.
 *
 * <p>Each bucket's per-member counts are sampled; a sample at least {@value #GRACE_SECONDS} s old
 * is checked once the event path has carried a heartbeat beaten after it to every Kafka
 * partition: by then MySQL holds every reservation that was made before it, so MySQL must count
 * at least as many of each member's as the sample did. Between membership changes a bucket's
 * counts only grow, and MySQL's are of distinct reservations, so a healthy path never falls
 * short; a stalled one is not judged, and samples do not outlive a membership change.
 */
final class UnrecordedReservations {

    static final long GRACE_SECONDS = 30;
    private static final Duration GRACE = Duration.ofSeconds(GRACE_SECONDS);

    /** A bucket's reservations per member, counted by the grid at {@code at}. */
    private record Sample(Instant at, Map<String, Integer> counts) {
    }

    private final Map<StockKey, Sample> samples = new ConcurrentHashMap<>();

    /**
     * Compares the bucket's sample, if it is due, with what MySQL holds, and takes a new one.
     * {@code pathCarried} is the oldest of the newest heartbeats MySQL has from each Kafka
     * partition (null if none). Answers what is missing, one line per member; empty if nothing.
     */
    List<String> check(StockKey key, StockBucket bucket, List<SlotCount> inMysql, Instant now, Instant pathCarried) {
        Sample sample = samples.get(key);
        List<String> missing = new ArrayList<>();
        if (sample != null && !sample.at().plus(GRACE).isAfter(now) && pathCarried != null && pathCarried.isAfter(sample.at())) {
            Map<String, Long> held = new HashMap<>();
            inMysql.forEach(slot -> held.put(slot.slot(), slot.reservations()));
            for (Map.Entry<String, Integer> counted : sample.counts().entrySet()) {
                long recorded = held.getOrDefault(counted.getKey(), 0L);
                if (recorded < counted.getValue()) {
                    missing.add((counted.getValue() - recorded) + " of member " + counted.getKey() + " (the grid counted "
                            + counted.getValue() + " at " + sample.at() + ", MySQL holds " + recorded + ")");
                }
            }
            sample = null;
        }
        if (sample == null) {
            samples.put(key, new Sample(now, countsOf(bucket)));
        }
        return missing;
    }

    /**
     * Forgets every sample: a member's leaving or joining can lower a bucket's counts rightly (a
     * backup promoted without a reservation nobody acknowledged, a merge that keeps the larger
     * side's value), so counts taken before it are not judged.
     */
    void forgetAll() {
        samples.clear();
    }

    /** Forgets a bucket no longer checked (its sale no longer sells). */
    void forget(StockKey key) {
        samples.remove(key);
    }

    private static Map<String, Integer> countsOf(StockBucket bucket) {
        Map<String, Integer> counts = new HashMap<>();
        long[] ids = bucket.slotIds();
        for (int i = 0; i < bucket.slotReservations().length; i++) {
            counts.put(new UUID(ids[2 * i], ids[2 * i + 1]).toString(), bucket.slotReservations()[i]);
        }
        return counts;
    }
}
