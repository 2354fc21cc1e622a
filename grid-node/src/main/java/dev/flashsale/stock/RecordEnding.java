package dev.flashsale.stock;

import java.util.Map;

import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.core.HazelcastInstanceAware;
import com.hazelcast.map.EntryProcessor;

import dev.flashsale.purchase.Purchase;

/**
 * Journals that an order of this bucket reached its final state ({@link OrderEnded}), the
 * second step of a transition that the shopper's entry decided ({@code EndOrder},
 * {@code ExpireOrders}). The bucket's journal is the outbox of its orders: the event follows
 * the order's reservation through the same journal partition, the outbox and the order's Kafka
 * partition, so MySQL always sees the reservation first.
 *
 * <p>Not idempotent, and need not be: the event of one transition carries the same id and the
 * same final state however often it is journaled, and MySQL applies it once (a status moves
 * out of RESERVED once). The order sweep journals it again until MySQL shows the final state,
 * which covers a caller that died between the two steps and a journal that lost the event.
 * Refused (false) while the bucket's journal share is full of unread events, like a
 * reservation, so that it never pushes one out; the sweep tries again. The backup takes the
 * owner's new value ({@link ReplaceBucket}).
 */
public final class RecordEnding implements EntryProcessor<StockKey, StockBucket, Boolean>, HazelcastInstanceAware {

    private String shopperId;
    private Purchase order;

    private transient HazelcastInstance member;
    private transient StockBucket written;

    private RecordEnding() {
    }

    public RecordEnding(String shopperId, Purchase order) {
        if (!order.status().isFinal()) {
            throw new IllegalArgumentException("order " + order.orderId() + " has not ended: " + order.status());
        }
        this.shopperId = shopperId;
        this.order = order;
    }

    @Override
    public Boolean process(Map.Entry<StockKey, StockBucket> entry) {
        return process(entry, JournalShare.perBucket(member));
    }

    /** The step itself, on a member whose buckets may hold {@code share} unread events. */
    public Boolean process(Map.Entry<StockKey, StockBucket> entry, long share) {
        written = null;
        StockBucket bucket = entry.getValue();
        if (bucket == null || bucket.unread() >= share) {
            return false;
        }
        written = bucket.ended(new OrderEnded(order.orderId(), shopperId, order.status(), order.quantity(),
                order.endedAtMillis(), order.paymentId(), bucket.nextWrite()));
        entry.setValue(written);
        return true;
    }

    @Override
    public EntryProcessor<StockKey, StockBucket, Boolean> getBackupProcessor() {
        return written == null ? null : new ReplaceBucket<>(written);
    }

    @Override
    public void setHazelcastInstance(HazelcastInstance hazelcastInstance) {
        this.member = hazelcastInstance;
    }
}
