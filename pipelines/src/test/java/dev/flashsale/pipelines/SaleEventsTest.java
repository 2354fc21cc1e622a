package dev.flashsale.pipelines;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.util.Map;

import org.junit.jupiter.api.Test;

import com.hazelcast.core.EntryEventType;
import com.hazelcast.map.EventJournalMapEvent;

import dev.flashsale.sale.Sale;
import dev.flashsale.stock.Reserved;
import dev.flashsale.stock.StockBucket;
import dev.flashsale.stock.StockKey;

class SaleEventsTest {

    private static final StockKey BUCKET = new StockKey("sale-1", 3, 7);

    @Test
    void aNewReservationBecomesAnOrderReservedEventThatReadsBack() {
        StockBucket before = StockBucket.withStock(10);
        StockBucket after = new StockBucket(10, 9, new long[0], new long[0], Long.MIN_VALUE,
                new Reserved("order-1", "alice", 1, new BigDecimal("49.00"), 1_000, 901_000));
        Journaled<StockKey, StockBucket> event = new Journaled<>(BUCKET, before, after, EntryEventType.UPDATED);

        Map.Entry<String, String> record = SaleEvents.reserved(event);
        Map<String, Object> json = SaleEvents.parse(record.getValue());

        assertThat(SaleEvents.isReservation(event)).isTrue();
        assertThat(record.getKey()).isEqualTo("order-1");
        assertThat(json).containsEntry("eventId", "order-1/reserved")
                .containsEntry("type", "order.reserved")
                .containsEntry("schemaVersion", 1)
                .containsEntry("occurredAt", "1970-01-01T00:00:01Z")
                .containsEntry("saleId", "sale-1")
                .containsEntry("shopperId", "alice")
                .containsEntry("unitPrice", "49.00")
                .containsEntry("bucket", 3)
                .containsEntry("expiresAt", "1970-01-01T00:15:01Z");
        assertThat(OrderRow.reserved(json)).isEqualTo(new OrderRow("order-1", "sale-1", "alice", 1,
                new BigDecimal("49.00"), "RESERVED", 3, java.time.Instant.ofEpochSecond(1), java.time.Instant.ofEpochSecond(901)));
    }

    @Test
    void bucketsWithoutANewReservationAreNoEvent() {
        StockBucket created = StockBucket.withStock(10);
        StockBucket reserved = new StockBucket(10, 9, new long[0], new long[0], Long.MIN_VALUE,
                new Reserved("order-1", "alice", 1, BigDecimal.ONE, 1_000, 2_000));

        assertThat(SaleEvents.isReservation(new Journaled<>(BUCKET, null, created, EntryEventType.ADDED))).isFalse();
        assertThat(SaleEvents.isReservation(new Journaled<>(BUCKET, reserved, null, EntryEventType.REMOVED))).isFalse();
    }

    @Test
    void aSaleBecomesASaleScheduledEventWithAStableId() {
        Sale sale = new Sale("sale-1", "Sneakers", new BigDecimal("49.00"), 100, 0, 3_600_000, 1, 900_000, new int[] {0, 4}, 5_000);
        Journaled<String, Sale> event = new Journaled<>("sale-1", null, sale, EntryEventType.ADDED);

        Map<String, Object> json = SaleEvents.parse(SaleEvents.scheduled(event).getValue());

        assertThat(json).containsEntry("eventId", "sale/sale-1/5000").containsEntry("type", "sale.scheduled");
        assertThat(SaleRow.scheduled(json).stock()).isEqualTo(100);
        assertThat(SaleRow.scheduled(json).buckets()).isEqualTo(2);
        assertThat(SaleRow.scheduled(json).paymentWindowSeconds()).isEqualTo(900);
    }

    /** A journal event as the member hands it to the projection. */
    private record Journaled<K, V>(K getKey, V getOldValue, V getNewValue, EntryEventType getType)
            implements EventJournalMapEvent<K, V> {
    }
}
