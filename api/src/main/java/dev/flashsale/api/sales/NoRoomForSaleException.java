package dev.flashsale.api.sales;

import dev.flashsale.stock.JournalShare;

/** The live sales already use the partitions a new sale's buckets would need. */
public final class NoRoomForSaleException extends RuntimeException {

    public NoRoomForSaleException(int buckets) {
        super("the grid has no room for " + buckets + " more buckets: at most " + JournalShare.BUCKETS_PER_PARTITION
                + " buckets of live sales share a partition; use fewer buckets, or create the sale once others have ended",
                null, false, false);
    }
}
