package dev.flashsale.api.settlement;

import java.sql.SQLException;
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
 * <p>Each bucket's per-member counts are sampled, with the write count of its newest
 * event. A sample is judged once it is {@value #GRACE_SECONDS} s old, the event path has
 * carried a heartbeat beaten after it to every Kafka partition, and MySQL holds an event of
 * the bucket (a reservation, an end, a return) written at or after the sample's newest: the
 * outbox reads a bucket's journal in order, so it has then published every reservation the
 * sample counted, and MySQL must hold at
 * least as many of each member's written up to the sample's newest. (The heartbeats alone do not show that: they come from a
 * journal of their own, which a new outbox job reads in seconds while it still works through
 * the stock journals' backlog.) A bucket that takes no later reservation is judged after
 * {@value #LAST_GRACE_MINUTES} minutes instead. Between membership changes a bucket's counts only
 * grow, and MySQL's are of distinct reservations, so a healthy path never falls short; a stalled
 * one is not judged, and samples do not outlive a membership change.
 */
final class UnrecordedReservations {

    static final long GRACE_SECONDS = 30;
    static final long LAST_GRACE_MINUTES = 5;
    private static final Duration GRACE = Duration.ofSeconds(GRACE_SECONDS);
    private static final Duration LAST_GRACE = Duration.ofMinutes(LAST_GRACE_MINUTES);

    /** A bucket's reservations per member, counted by the grid at {@code at}, and the write count of its newest event. */
    private record Sample(Instant at, Map<String, Integer> counts, long newestWrite) {
    }

    private final Map<StockKey, Sample> samples = new ConcurrentHashMap<>();

    /**
     * Compares the bucket's sample, if it is due, with what MySQL holds, and takes a new one.
     * {@code pathCarried} is the oldest of the newest heartbeats MySQL has from each Kafka
     * partition (null if none); {@code readUpTo} the newest of the bucket's events MySQL has.
     * Answers what is missing, one line per member; empty if nothing.
     */
    List<String> check(StockKey key, StockBucket bucket, List<SlotCount> inMysql, long readUpTo, Instant now,
            Instant pathCarried, SettlementLedger ledger) throws SQLException {
        Sample sample = samples.get(key);
        List<String> missing = new ArrayList<>();
        if (sample != null && isDue(sample, readUpTo, now, pathCarried)) {
            // (only those the sample can have counted: MySQL's later ones must not make up for them)
            Map<String, Long> held = ledger.reservationsUpTo(key.saleId(), key.bucket(), sample.newestWrite());
            for (Map.Entry<String, Integer> counted : sample.counts().entrySet()) {
                long recorded = held.getOrDefault(counted.getKey(), 0L);
                if (recorded < counted.getValue()) {
                    missing.add((counted.getValue() - recorded) + " of member " + counted.getKey() + " (the grid counted "
                            + counted.getValue() + " at " + sample.at() + ", MySQL holds " + recorded + " of them)");
                }
            }
            sample = null;
        }
        if (sample == null) {
            samples.put(key, new Sample(now, countsOf(bucket), bucket.lastEventWrite()));
        }
        return missing;
    }

    private static boolean isDue(Sample sample, long readUpTo, Instant now, Instant pathCarried) {
        if (sample.at().plus(GRACE).isAfter(now) || pathCarried == null || !pathCarried.isAfter(sample.at())) {
            return false;
        }
        return readUpTo >= sample.newestWrite() || !sample.at().plus(LAST_GRACE).isAfter(now);
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
