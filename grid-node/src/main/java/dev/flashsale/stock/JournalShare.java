package dev.flashsale.stock;

import com.hazelcast.core.HazelcastInstance;

import dev.flashsale.grid.Maps;

/**
 * How many events one bucket may have in the stock map's event journal that MySQL has not
 * seen. The journal's capacity is split evenly over the partitions, and a reader that falls
 * further behind than its partition's share loses the oldest events. A sale's buckets each
 * get a partition of their own, and at most {@link #BUCKETS_PER_PARTITION} buckets of live
 * sales share one (see the sale catalog), so a bucket that keeps within
 * {@code capacity / partitions / BUCKETS_PER_PARTITION} can never have an unread event
 * overwritten. {@link #HEADROOM} writes of that are kept for the one write that does not ask
 * first: settlement giving back duplicate units ({@link RecordProgress}), which is rare.
 */
public final class JournalShare {

    public static final int BUCKETS_PER_PARTITION = 2;
    static final int HEADROOM = 16;
    private static final String CACHED = JournalShare.class.getName();

    private JournalShare() {
    }

    /** The share of a bucket on this member, read from its configuration once. */
    public static long perBucket(HazelcastInstance member) {
        return (Long) member.getUserContext().computeIfAbsent(CACHED, key -> perBucket(
                member.getConfig().findMapConfig(Maps.STOCK).getEventJournalConfig().getCapacity(),
                member.getPartitionService().getPartitions().size()));
    }

    public static long perBucket(int journalCapacity, int partitions) {
        return journalCapacity / partitions / BUCKETS_PER_PARTITION - HEADROOM;
    }
}
