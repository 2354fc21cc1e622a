package dev.flashsale.stock;

import com.hazelcast.partition.PartitionAware;

/**
 * The key of one stock bucket of a sale. The partition is chosen by
 * {@code saleId/bucket/salt}: the salt is picked when the sale is created so that
 * a sale's buckets land on different partitions (and so, usually, members).
 */
public record StockKey(String saleId, int bucket, int salt) implements PartitionAware<String> {

    @Override
    public String getPartitionKey() {
        return saleId + '/' + bucket + '/' + salt;
    }
}
