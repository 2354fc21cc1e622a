package dev.flashsale.pipelines.outbox;

import java.time.Instant;
import java.util.Map;

import com.hazelcast.jet.Util;
import com.hazelcast.map.EventJournalMapEvent;

import dev.flashsale.pipelines.events.Heartbeat;
import dev.flashsale.pipelines.events.OrderCancelled;
import dev.flashsale.pipelines.events.OrderExpired;
import dev.flashsale.pipelines.events.OrderPaid;
import dev.flashsale.pipelines.events.OrderReserved;
import dev.flashsale.pipelines.events.SaleEvent;
import dev.flashsale.pipelines.events.SaleEventJson;
import dev.flashsale.pipelines.events.SaleScheduled;
import dev.flashsale.pipelines.events.StockReturned;
import dev.flashsale.sale.Sale;
import dev.flashsale.stock.OrderEnded;
import dev.flashsale.stock.Reserved;
import dev.flashsale.stock.StockBucket;
import dev.flashsale.stock.StockKey;

/**
 * The filters and projections the outbox applies to the grid's event journals: each journaled
 * change that is an event becomes its record, {@code (key, JSON)}.
 *
 * <p>They run on the members, on the partition thread of the write that made the journal
 * event: they must be cheap and must never fail, and what they return must be serializable by
 * Hazelcast ({@link Util#entry} of two strings).
 */
public final class OutboxEvents {

    private OutboxEvents() {
    }

    /**
     * Whether a stock journal event is one of the bucket's events (a new reservation, an order
     * that ended, units given back), or the first event after a gap in the journal (see
     * {@link JournalLoss}). Only the writes that make an event set one of {@code last},
     * {@code ended} or {@code gaveBackAtMillis} (creation sets none, and a repeated call writes
     * nothing), so the new value alone tells. The old value is never read: the journal hands
     * it over serialized, and deserializing it on the partition thread for nothing cost a
     * visible share of the purchase path.
     */
    public static boolean isBucketEvent(EventJournalMapEvent<StockKey, StockBucket> event) {
        if (event.isAfterLostEvents()) {
            return true;
        }
        StockBucket after = event.getNewValue();
        return after != null && (after.last() != null || after.ended() != null || after.gaveBackAtMillis() != 0);
    }

    /**
     * The sale event of a bucket's write: {@code order.reserved}, {@code order.paid},
     * {@code order.cancelled} or {@code order.expired}, keyed by order id (so an order's events
     * share a Kafka partition, in the order the bucket journaled them), or
     * {@code stock.returned}, keyed by sale id; after a gap, the marker of lost events.
     */
    public static Map.Entry<String, String> bucketEvent(EventJournalMapEvent<StockKey, StockBucket> event) {
        if (event.isAfterLostEvents()) {
            return JournalLoss.marker(event);
        }
        StockBucket after = event.getNewValue();
        StockKey bucket = event.getKey();
        if (after.last() != null) {
            return reserved(bucket, after.last());
        }
        if (after.ended() != null) {
            return ended(bucket, after.ended());
        }
        return record(bucket.saleId(), new StockReturned(
                StockReturned.eventIdOf(bucket.saleId(), bucket.bucket(), after.returned()), SaleEvent.SCHEMA_VERSION,
                Instant.ofEpochMilli(after.gaveBackAtMillis()), bucket.saleId(), bucket.bucket(), after.returned(),
                after.writes()));
    }

    private static Map.Entry<String, String> reserved(StockKey bucket, Reserved reserved) {
        return record(reserved.orderId(), new OrderReserved(
                OrderReserved.eventIdOf(bucket.saleId(), bucket.bucket(), reserved.slot(), reserved.journalSeq()),
                SaleEvent.SCHEMA_VERSION, Instant.ofEpochMilli(reserved.reservedAtMillis()),
                bucket.saleId(), reserved.orderId(), reserved.shopperId(), reserved.quantity(),
                reserved.unitPrice(), bucket.bucket(), Instant.ofEpochMilli(reserved.expiresAtMillis()),
                reserved.slot(), reserved.journalSeq()));
    }

    private static Map.Entry<String, String> ended(StockKey bucket, OrderEnded order) {
        Instant at = Instant.ofEpochMilli(order.endedAtMillis());
        SaleEvent event = switch (order.status()) {
            case PAID -> new OrderPaid(OrderPaid.eventIdOf(order.orderId()), SaleEvent.SCHEMA_VERSION, at, bucket.saleId(),
                    order.orderId(), order.shopperId(), bucket.bucket(), order.quantity(), order.paymentId(), order.journalSeq());
            case CANCELLED -> new OrderCancelled(OrderCancelled.eventIdOf(order.orderId()), SaleEvent.SCHEMA_VERSION, at,
                    bucket.saleId(), order.orderId(), order.shopperId(), bucket.bucket(), order.quantity(), order.journalSeq());
            case EXPIRED -> new OrderExpired(OrderExpired.eventIdOf(order.orderId()), SaleEvent.SCHEMA_VERSION, at,
                    bucket.saleId(), order.orderId(), order.shopperId(), bucket.bucket(), order.quantity(), order.journalSeq());
            case PENDING, RESERVED -> throw new IllegalStateException("not a final state: " + order);
        };
        return record(order.orderId(), event);
    }

    public static boolean isSaleChange(EventJournalMapEvent<String, Sale> event) {
        return event.getNewValue() != null;
    }

    /** The {@code sale.scheduled} event of a sale as it now stands, keyed by sale id. */
    public static Map.Entry<String, String> scheduled(EventJournalMapEvent<String, Sale> event) {
        Sale sale = event.getNewValue();
        return record(sale.id(), new SaleScheduled(
                SaleScheduled.eventIdOf(sale.id(), sale.scheduledAtMillis()), SaleEvent.SCHEMA_VERSION,
                Instant.ofEpochMilli(sale.scheduledAtMillis()),
                sale.id(), sale.name(), sale.price(), sale.stock(), sale.startsAt(), sale.endsAt(),
                sale.perShopperLimit(), sale.paymentWindow().toSeconds(), sale.buckets()));
    }

    public static boolean isHeartbeat(EventJournalMapEvent<String, Long> event) {
        return event.getNewValue() != null;
    }

    /** The heartbeat an API node wrote; the outbox sends it to every partition of the topic. */
    public static Map.Entry<String, String> heartbeat(EventJournalMapEvent<String, Long> event) {
        Heartbeat beat = Heartbeat.at(Instant.ofEpochMilli(event.getNewValue()));
        return record(beat.eventId(), beat);
    }

    private static Map.Entry<String, String> record(String key, SaleEvent event) {
        return Util.entry(key, SaleEventJson.write(event));
    }
}
