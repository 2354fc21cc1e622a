package dev.flashsale.pipelines.ledger;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.core.JsonProcessingException;

import dev.flashsale.pipelines.events.Heartbeat;
import dev.flashsale.pipelines.events.OrderCancelled;
import dev.flashsale.pipelines.events.OrderEnd;
import dev.flashsale.pipelines.events.OrderExpired;
import dev.flashsale.pipelines.events.OrderPaid;
import dev.flashsale.pipelines.events.OrderReserved;
import dev.flashsale.pipelines.events.SaleEvent;
import dev.flashsale.pipelines.events.SaleEventJson;
import dev.flashsale.pipelines.events.SaleScheduled;
import dev.flashsale.pipelines.events.StockReturned;
import dev.flashsale.sale.Limits;

/**
 * Turns a record of the topic into what MySQL gets for it. A pure function that never throws:
 * a record that is not a sale event, or holds a value its table cannot store, becomes a
 * {@link DeadLetter} that says why, and the records behind it keep flowing.
 */
public final class LedgerEntries {

    static final String RESERVED = "RESERVED";

    private LedgerEntries() {
    }

    public static LedgerEntry of(SourceRecord record) {
        if (record.value() == null) {
            return DeadLetter.of(record, "a tombstone: the record has no value", null, null);
        }
        SaleEvent event;
        try {
            event = SaleEventJson.read(record.value());
        } catch (JsonProcessingException | RuntimeException e) {
            return DeadLetter.of(record, "not a sale event: " + firstLine(e),
                    SaleEventJson.textField(record.value(), "saleId"), SaleEventJson.textField(record.value(), "orderId"));
        }
        if (event instanceof OrderReserved order) {
            return order(order, record);
        }
        if (event instanceof OrderEnd ended) {
            return ended(ended, record);
        }
        if (event instanceof StockReturned returned) {
            return returned(returned, record);
        }
        if (event instanceof SaleScheduled sale) {
            return sale(sale, record);
        }
        Heartbeat beat = (Heartbeat) event;
        if (!Limits.isStorableTime(beat.occurredAt())) {
            return DeadLetter.of(record, "heartbeat: occurredAt " + outOfRange(), null, null, Heartbeat.TYPE, null);
        }
        return new HeartbeatRow(record.partition(), beat.occurredAt(), record.cut());
    }

    private static LedgerEntry order(OrderReserved event, SourceRecord record) {
        List<String> problems = new ArrayList<>();
        text(problems, "saleId", event.saleId(), Limits.SALE_ID_LENGTH);
        text(problems, "orderId", event.orderId(), Limits.ORDER_ID_LENGTH);
        text(problems, "shopperId", event.shopperId(), Limits.SHOPPER_ID_LENGTH);
        if (event.quantity() < 1 || event.quantity() > Limits.MAX_QUANTITY) {
            problems.add("quantity must be 1 to " + Limits.MAX_QUANTITY);
        }
        if (!Limits.isPrice(event.unitPrice())) {
            problems.add("unitPrice must be " + Limits.PRICE_RULE);
        }
        bucket(problems, event.bucket());
        time(problems, "occurredAt", event.occurredAt());
        time(problems, "expiresAt", event.expiresAt());
        if (event.slot() != null && !Limits.isStorableText(event.slot(), Limits.ORDER_ID_LENGTH)) {
            problems.add("slot must be 1 to " + Limits.ORDER_ID_LENGTH + " characters of well-formed text");
        }
        if (event.journalSeq() < 0) {
            problems.add("journalSeq must not be negative");
        }
        if (!problems.isEmpty()) {
            return DeadLetter.of(record, OrderReserved.TYPE + ": " + String.join("; ", problems), event.saleId(), event.orderId(),
                    OrderReserved.TYPE, event.occurredAt());
        }
        // An event from before reservations were named is its order's only reservation: the order names it.
        String slot = event.slot() == null ? event.orderId() : event.slot();
        return new OrderRow(event.orderId(), event.saleId(), event.shopperId(), event.quantity(), event.unitPrice(),
                RESERVED, event.bucket(), event.occurredAt(), event.expiresAt(), slot, event.journalSeq(), record.cut());
    }

    private static LedgerEntry ended(OrderEnd event, SourceRecord record) {
        String type = event instanceof OrderPaid ? OrderPaid.TYPE
                : event instanceof OrderCancelled ? OrderCancelled.TYPE : OrderExpired.TYPE;
        List<String> problems = new ArrayList<>();
        text(problems, "saleId", event.saleId(), Limits.SALE_ID_LENGTH);
        text(problems, "orderId", event.orderId(), Limits.ORDER_ID_LENGTH);
        if (event.quantity() < 1 || event.quantity() > Limits.MAX_QUANTITY) {
            problems.add("quantity must be 1 to " + Limits.MAX_QUANTITY);
        }
        bucket(problems, event.bucket());
        time(problems, "occurredAt", event.occurredAt());
        if (event instanceof OrderPaid paid) {
            text(problems, "paymentId", paid.paymentId(), Limits.PAYMENT_ID_LENGTH);
        }
        if (event.journalSeq() < 0) {
            problems.add("journalSeq must not be negative");
        }
        if (!problems.isEmpty()) {
            return DeadLetter.of(record, type + ": " + String.join("; ", problems), event.saleId(), event.orderId(), type,
                    event.occurredAt());
        }
        return new OrderEndRow(event.orderId(), event.saleId(), event.bucket(), event.status(), event.quantity(),
                event.occurredAt(), event.paymentId(), event.journalSeq(), record.cut());
    }

    private static LedgerEntry returned(StockReturned event, SourceRecord record) {
        List<String> problems = new ArrayList<>();
        text(problems, "saleId", event.saleId(), Limits.SALE_ID_LENGTH);
        bucket(problems, event.bucket());
        time(problems, "occurredAt", event.occurredAt());
        if (event.returnedUnits() < 0) {
            problems.add("returnedUnits must not be negative");
        }
        if (event.journalSeq() < 0) {
            problems.add("journalSeq must not be negative");
        }
        if (!problems.isEmpty()) {
            return DeadLetter.of(record, StockReturned.TYPE + ": " + String.join("; ", problems), event.saleId(), null,
                    StockReturned.TYPE, event.occurredAt());
        }
        return new ReturnedRow(event.saleId(), event.bucket(), event.returnedUnits(), event.journalSeq(), record.cut());
    }

    private static void bucket(List<String> problems, int bucket) {
        if (bucket < 0 || bucket >= Limits.MAX_BUCKETS) {
            problems.add("bucket must be 0 to " + (Limits.MAX_BUCKETS - 1));
        }
    }

    private static LedgerEntry sale(SaleScheduled event, SourceRecord record) {
        List<String> problems = new ArrayList<>();
        text(problems, "saleId", event.saleId(), Limits.SALE_ID_LENGTH);
        text(problems, "name", event.name(), Limits.SALE_NAME_LENGTH);
        if (!Limits.isPrice(event.price())) {
            problems.add("price must be " + Limits.PRICE_RULE);
        }
        if (event.stock() < 0 || event.stock() > Limits.MAX_STOCK) {
            problems.add("stock must be 0 to " + Limits.MAX_STOCK);
        }
        time(problems, "startsAt", event.startsAt());
        time(problems, "endsAt", event.endsAt());
        time(problems, "occurredAt", event.occurredAt());
        if (event.perShopperLimit() < 1 || event.perShopperLimit() > Limits.MAX_PER_SHOPPER_LIMIT) {
            problems.add("perShopperLimit must be 1 to " + Limits.MAX_PER_SHOPPER_LIMIT);
        }
        if (event.paymentWindowSeconds() < 0 || event.paymentWindowSeconds() > Integer.MAX_VALUE) {
            problems.add("paymentWindowSeconds must be 0 to " + Integer.MAX_VALUE);
        }
        if (event.buckets() < 1 || event.buckets() > Limits.MAX_BUCKETS) {
            problems.add("buckets must be 1 to " + Limits.MAX_BUCKETS);
        }
        if (!problems.isEmpty()) {
            return DeadLetter.of(record, SaleScheduled.TYPE + ": " + String.join("; ", problems), event.saleId(), null,
                    SaleScheduled.TYPE, event.occurredAt());
        }
        return new SaleRow(event.saleId(), event.name(), event.price(), event.stock(), event.startsAt(), event.endsAt(),
                event.perShopperLimit(), (int) event.paymentWindowSeconds(), event.buckets(), event.occurredAt(), record.cut());
    }

    private static void text(List<String> problems, String field, String value, int maxLength) {
        if (!Limits.isStorableText(value, maxLength)) {
            problems.add(field + " must be 1 to " + maxLength + " characters of well-formed text");
        }
    }

    private static void time(List<String> problems, String field, Instant value) {
        if (!Limits.isStorableTime(value)) {
            problems.add(field + " " + outOfRange());
        }
    }

    private static String outOfRange() {
        return "must be a time from " + Limits.EARLIEST_TIME + " to " + Limits.LATEST_TIME;
    }

    private static String firstLine(Throwable e) {
        String message = e instanceof JsonProcessingException json ? json.getOriginalMessage() : e.toString();
        if (message == null) {
            return e.getClass().getSimpleName();
        }
        int end = message.indexOf('\n');
        return end < 0 ? message : message.substring(0, end);
    }
}
