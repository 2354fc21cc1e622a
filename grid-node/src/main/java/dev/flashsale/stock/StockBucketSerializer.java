package dev.flashsale.stock;

import com.hazelcast.nio.serialization.compact.CompactReader;
import com.hazelcast.nio.serialization.compact.CompactSerializer;
import com.hazelcast.nio.serialization.compact.CompactWriter;

/**
 * Serializes a {@link StockBucket} without its replay memory: what is written is
 * {@link StockBucket#forgetAll()}. Hazelcast serializes a bucket only to copy it (the event
 * journal's old and new value of each reservation, a migration, a new backup); the objects the
 * processors run on are never serialized, so they keep their memory.
 *
 * <p>Registered in the member and the client configuration.
 */
public final class StockBucketSerializer implements CompactSerializer<StockBucket> {

    @Override
    public StockBucket read(CompactReader in) {
        return StockBucket.copy(in.readInt32("stock"), in.readInt32("available"), in.readInt64("forgottenUpTo"),
                in.readCompact("last"));
    }

    @Override
    public void write(CompactWriter out, StockBucket bucket) {
        StockBucket copy = bucket.forgetAll();
        out.writeInt32("stock", copy.stock());
        out.writeInt32("available", copy.available());
        out.writeInt64("forgottenUpTo", copy.forgottenUpTo());
        out.writeCompact("last", copy.last());
    }

    @Override
    public String getTypeName() {
        return StockBucket.class.getName();
    }

    @Override
    public Class<StockBucket> getCompactClass() {
        return StockBucket.class;
    }
}
