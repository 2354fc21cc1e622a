package dev.flashsale.pipelines.outbox;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.Map;

import org.junit.jupiter.api.Test;

import com.hazelcast.core.EntryEventType;

import dev.flashsale.pipelines.Journaled;
import dev.flashsale.pipelines.events.Heartbeat;
import dev.flashsale.pipelines.events.OrderReserved;
import dev.flashsale.pipelines.events.SaleEventJson;
import dev.flashsale.pipelines.events.SaleScheduled;
import dev.flashsale.pipelines.ledger.HeartbeatRow;
import dev.flashsale.pipelines.ledger.LedgerEntries;
import dev.flashsale.pipelines.ledger.OrderRow;
import dev.flashsale.pipelines.ledger.SaleRow;
import dev.flashsale.pipelines.ledger.SourceRecord;
import dev.flashsale.sale.Sale;
import dev.flashsale.pipelines.events.OrderCancelled;
import dev.flashsale.pipelines.events.OrderPaid;
import dev.flashsale.pipelines.events.StockReturned;
import dev.flashsale.pipelines.ledger.OrderEndRow;
import dev.flashsale.pipelines.ledger.ReturnedRow;
import dev.flashsale.purchase.PurchaseStatus;
import dev.flashsale.stock.OrderEnded;
import dev.flashsale.stock.Reserved;
import dev.flashsale.stock.StockBucket;
import dev.flashsale.stock.StockKey;

/** The outbox's projections: journal events in, typed sale events out, which the orders job reads back as rows. */
class OutboxEventsTest {

    private static final StockKey BUCKET = new StockKey("sale-1", 3, 7);
    private static final String ORDER_ID = "e2d221f8-1721-3de8-8714-53a6edda96c2";
    private static final String SLOT = "00000000-0000-0000-0000-000000000002";

    @Test
    void aNewReservationBecomesAnOrderReservedEventThatReadsBackAsItsRow() throws Exception {
        // given a bucket written by ReserveStock
        StockBucket before = StockBucket.withStock(10);
        StockBucket after = new StockBucket(10, 0, Long.MIN_VALUE, 2, 1, 2, new long[] {1, 2}, new int[] {1}, new int[] {1},
                new Reserved(ORDER_ID, "alice", 1, new BigDecimal("49.00"), 1_000, 901_000, SLOT, 2), null, 0, 0, 10);
        Journaled<StockKey, StockBucket> event = new Journaled<>(BUCKET, before, after, EntryEventType.UPDATED, false);

        // when the outbox projects it
        Map.Entry<String, String> record = OutboxEvents.bucketEvent(event);

        // then it is an order.reserved event keyed by the order, with every field
        assertThat(OutboxEvents.isBucketEvent(event)).isTrue();
        assertThat(record.getKey()).isEqualTo(ORDER_ID);
        assertThat(SaleEventJson.read(record.getValue())).isEqualTo(new OrderReserved("reserved/sale-1/3/" + SLOT + "/2", 1,
                Instant.ofEpochSecond(1), "sale-1", ORDER_ID, "alice", 1, new BigDecimal("49.00"), 3, Instant.ofEpochSecond(901),
                SLOT, 2));
        assertThat(record.getValue()).contains("\"type\":\"order.reserved\"", "\"unitPrice\":\"49.00\"",
                "\"occurredAt\":\"1970-01-01T00:00:01Z\"");
        // and the orders job reads it back as the row it stands for
        assertThat(LedgerEntries.of(source(record))).isEqualTo(new OrderRow(ORDER_ID, "sale-1", "alice", 1,
                new BigDecimal("49.00"), "RESERVED", 3, Instant.ofEpochSecond(1), Instant.ofEpochSecond(901), SLOT, 2, source(record)));
    }

    @Test
    void anOrderThatEndedBecomesItsEventKeyedByTheOrderThatReadsBackAsTheEndOfItsRow() throws Exception {
        // given buckets that journaled a payment and a cancel
        StockBucket paid = journaling(new OrderEnded(ORDER_ID, "alice", PurchaseStatus.PAID, 2, 5_000, "pay-1", 7));
        StockBucket cancelled = journaling(new OrderEnded(ORDER_ID, "alice", PurchaseStatus.CANCELLED, 2, 6_000, null, 8));

        // when the outbox projects them
        Map.Entry<String, String> paidRecord = OutboxEvents.bucketEvent(written(paid));
        Map.Entry<String, String> cancelledRecord = OutboxEvents.bucketEvent(written(cancelled));

        // then each is its typed event, keyed by the order like its reservation
        assertThat(OutboxEvents.isBucketEvent(written(paid))).isTrue();
        assertThat(paidRecord.getKey()).isEqualTo(ORDER_ID);
        assertThat(SaleEventJson.read(paidRecord.getValue())).isEqualTo(new OrderPaid("paid/" + ORDER_ID, 1,
                Instant.ofEpochSecond(5), "sale-1", ORDER_ID, "alice", 3, 2, "pay-1", 7));
        assertThat(SaleEventJson.read(cancelledRecord.getValue())).isEqualTo(new OrderCancelled("cancelled/" + ORDER_ID, 1,
                Instant.ofEpochSecond(6), "sale-1", ORDER_ID, "alice", 3, 2, 8));
        assertThat(cancelledRecord.getValue()).contains("\"type\":\"order.cancelled\"");
        // and the orders job reads them back as the end of the order's row
        assertThat(LedgerEntries.of(source(cancelledRecord))).isEqualTo(new OrderEndRow(ORDER_ID, "sale-1", 3, "CANCELLED", 2,
                Instant.ofEpochSecond(6), null, 8, source(cancelledRecord)));
    }

    @Test
    void unitsGivenBackBecomeTheBucketsNewTotalKeyedByTheSale() throws Exception {
        // given a bucket that gave back 3 units in all, at its 9th write
        StockBucket gaveBack = new StockBucket(10, 3, Long.MIN_VALUE, 9, 1, 9, new long[0], new int[0], new int[0], null, null,
                7_000, 0, 10);

        // when the outbox projects it
        Map.Entry<String, String> record = OutboxEvents.bucketEvent(written(gaveBack));

        // then it is stock.returned with the total, keyed by the sale
        assertThat(record.getKey()).isEqualTo("sale-1");
        assertThat(SaleEventJson.read(record.getValue())).isEqualTo(new StockReturned("returned/sale-1/3/3", 1,
                Instant.ofEpochSecond(7), "sale-1", 3, 3, 9));
        assertThat(LedgerEntries.of(source(record))).isEqualTo(new ReturnedRow("sale-1", 3, 3, 9, source(record)));
    }

    private static StockBucket journaling(OrderEnded ended) {
        return new StockBucket(10, 0, Long.MIN_VALUE, ended.journalSeq(), 1, ended.journalSeq(), new long[0], new int[0],
                new int[0], null, ended, 0, 0, 10);
    }

    private static Journaled<StockKey, StockBucket> written(StockBucket after) {
        return new Journaled<>(BUCKET, StockBucket.withStock(10), after, EntryEventType.UPDATED, false);
    }

    @Test
    void bucketsWithoutANewReservationAreNoEvent() {
        StockBucket created = StockBucket.withStock(10);
        StockBucket reserved = new StockBucket(10, 0, Long.MIN_VALUE, 2, 1, 2, new long[] {1, 2}, new int[] {1}, new int[] {1},
                new Reserved(ORDER_ID, "alice", 1, BigDecimal.ONE, 1_000, 2_000, SLOT, 2), null, 0, 0, 10);

        assertThat(OutboxEvents.isBucketEvent(new Journaled<>(BUCKET, null, created, EntryEventType.ADDED, false))).isFalse();
        assertThat(OutboxEvents.isBucketEvent(new Journaled<>(BUCKET, reserved, null, EntryEventType.REMOVED, false))).isFalse();
    }

    @Test
    void theFirstEventAfterAGapInTheJournalBecomesTheMarkerOfLostEvents() {
        // given a write that is no reservation, handed over as the first event after overwritten ones
        Journaled<StockKey, StockBucket> afterGap = Journaled.afterLostEvents(BUCKET, StockBucket.withStock(10));

        // when the outbox filters and projects it, then it passes, as the marker that names its bucket
        assertThat(OutboxEvents.isBucketEvent(afterGap)).isTrue();
        assertThat(OutboxEvents.bucketEvent(afterGap)).isEqualTo(JournalLoss.marker(afterGap));
        assertThat(JournalLoss.marker(afterGap).getKey()).isEqualTo(JournalLoss.MARKER_KEY);
    }

    @Test
    void aSaleBecomesASaleScheduledEventWithAStableId() throws Exception {
        Sale sale = new Sale("sale-1", "Sneakers", new BigDecimal("1E+3"), 100, 0, 3_600_000, 1, 900_000, new int[] {0, 4}, 5_000, false, 0, 0);

        Map.Entry<String, String> record = OutboxEvents.scheduled(new Journaled<>("sale-1", null, sale, EntryEventType.ADDED, false));

        SaleScheduled event = (SaleScheduled) SaleEventJson.read(record.getValue());
        assertThat(event.eventId()).isEqualTo("sale/sale-1/5000");
        assertThat(record.getValue()).contains("\"price\":\"1000\"");
        SaleRow row = (SaleRow) LedgerEntries.of(source(record));
        assertThat(row.stock()).isEqualTo(100);
        assertThat(row.buckets()).isEqualTo(2);
        assertThat(row.paymentWindowSeconds()).isEqualTo(900);
        assertThat(row.scheduledAt()).isEqualTo(Instant.ofEpochSecond(5));
    }

    @Test
    void aHeartbeatReadsBackAsTheBeatOfThePartitionItCameThrough() throws Exception {
        Map.Entry<String, String> record = OutboxEvents.heartbeat(new Journaled<>("heartbeat", 1_000L, 2_000L, EntryEventType.UPDATED, false));

        assertThat(SaleEventJson.read(record.getValue())).isEqualTo(Heartbeat.at(Instant.ofEpochSecond(2)));
        SourceRecord onPartition5 = new SourceRecord("sale-events", 5, 42, record.getKey(), record.getValue());
        assertThat(LedgerEntries.of(onPartition5)).isEqualTo(new HeartbeatRow(5, Instant.ofEpochSecond(2), onPartition5));
    }

    private static SourceRecord source(Map.Entry<String, String> record) {
        return new SourceRecord("sale-events", 0, 7, record.getKey(), record.getValue());
    }
}
