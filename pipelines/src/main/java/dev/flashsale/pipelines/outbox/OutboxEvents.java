package dev.flashsale.pipelines.outbox;

import java.time.Instant;
import java.util.Map;

import com.hazelcast.jet.Util;
import com.hazelcast.map.EventJournalMapEvent;

import dev.flashsale.pipelines.events.Heartbeat;
import dev.flashsale.pipelines.events.OrderReserved;
import dev.flashsale.pipelines.events.SaleEvent;
import dev.flashsale.pipelines.events.SaleEventJson;
import dev.flashsale.pipelines.events.SaleScheduled;
import dev.flashsale.sale.Sale;
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
     * Whether a stock journal event is a new reservation, or the first event after a gap in the
     * journal (see {@link JournalLoss}). Only {@code ReserveStock} writes a bucket with
     * {@code last} set (creation writes none, and a repeated reservation writes nothing), so the
     * new value alone tells. The old value is never read: the journal hands it over serialized,
     * and deserializing it on the partition thread for nothing cost a visible share of the
     * purchase path.
     */
    public static boolean isReservation(EventJournalMapEvent<StockKey, StockBucket> event) {
        if (event.isAfterLostEvents()) {
            return true;
        }
        StockBucket after = event.getNewValue();
        return after != null && after.last() != null;
    }

    /** The {@code order.reserved} event of a reservation, keyed by order id; after a gap, the marker of lost events. */
    public static Map.Entry<String, String> reserved(EventJournalMapEvent<StockKey, StockBucket> event) {
        if (event.isAfterLostEvents()) {
            return JournalLoss.marker(event);
        }
        Reserved reserved = event.getNewValue().last();
        StockKey bucket = event.getKey();
        return record(reserved.orderId(), new OrderReserved(
                OrderReserved.eventIdOf(bucket.saleId(), bucket.bucket(), reserved.slot(), reserved.journalSeq()),
                SaleEvent.SCHEMA_VERSION, Instant.ofEpochMilli(reserved.reservedAtMillis()),
                bucket.saleId(), reserved.orderId(), reserved.shopperId(), reserved.quantity(),
                reserved.unitPrice(), bucket.bucket(), Instant.ofEpochMilli(reserved.expiresAtMillis()),
                reserved.slot(), reserved.journalSeq()));
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
