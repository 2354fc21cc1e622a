package dev.flashsale.stock;

import java.util.Map;

import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.core.HazelcastInstanceAware;
import com.hazelcast.map.EntryProcessor;

/**
 * Fences off every attempt whose lease ends at or before {@code leaseEnd}: from this write on,
 * the bucket refuses their {@link ReserveStock} calls. Settlement runs it before it decides
 * claims whose lease ended, and answers which reservations the bucket had made by then (per
 * member, and the write count they are all at or below), which is how settlement knows when
 * MySQL has all of those: not merely as many, since later ones may reach MySQL first.
 *
 * <p>A register that only grows: running it again, or with an older lease end, writes nothing.
 * It does not write either while the bucket's journal share is full (answered
 * {@code fenced = false}; settlement tries again), so that fences cannot push out unread
 * reservations. The backup takes the owner's new value ({@link ReplaceBucket}) rather than
 * deciding again with its own configuration. Send it to one key at a time.
 */
public final class FenceBucket implements EntryProcessor<StockKey, StockBucket, Fenced>, HazelcastInstanceAware {

    private long leaseEnd;
    private transient HazelcastInstance member;
    private transient StockBucket written;

    private FenceBucket() {
    }

    public FenceBucket(long leaseEnd) {
        this.leaseEnd = leaseEnd;
    }

    @Override
    public Fenced process(Map.Entry<StockKey, StockBucket> entry) {
        return process(entry, JournalShare.perBucket(member));
    }

    /** The step itself, on a member whose buckets may hold {@code share} unread events. */
    public Fenced process(Map.Entry<StockKey, StockBucket> entry, long share) {
        written = null;
        StockBucket bucket = entry.getValue();
        if (bucket == null || leaseEnd <= bucket.fencedUpTo()) {
            return Fenced.of(true, bucket);
        }
        if (bucket.unread() >= share) {
            return Fenced.of(false, bucket);
        }
        written = bucket.fencedUpTo(leaseEnd);
        entry.setValue(written);
        return Fenced.of(true, written);
    }

    @Override
    public EntryProcessor<StockKey, StockBucket, Fenced> getBackupProcessor() {
        return written == null ? null : new ReplaceBucket<>(written);
    }

    @Override
    public void setHazelcastInstance(HazelcastInstance hazelcastInstance) {
        this.member = hazelcastInstance;
    }
}
