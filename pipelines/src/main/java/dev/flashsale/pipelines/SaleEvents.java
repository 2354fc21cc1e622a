package dev.flashsale.pipelines;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.hazelcast.jet.Util;
import com.hazelcast.map.EventJournalMapEvent;

import dev.flashsale.sale.Sale;
import dev.flashsale.stock.Reserved;
import dev.flashsale.stock.StockBucket;
import dev.flashsale.stock.StockKey;

/**
 * The sale events the outbox publishes, made from map journal events, and read back.
 *
 * <p>Every event is a JSON object with {@code eventId} (stable: the same change always gives
 * the same id), {@code type}, {@code schemaVersion} and {@code occurredAt}, then the fields of
 * its type. Types: {@code order.reserved} (a bucket took units for an order) and
 * {@code sale.scheduled} (a sale was created or changed).
 *
 * <p>The journal filters and projections run on the members, on the partition thread of the
 * write that made the event: they must be cheap and must never fail, and what they return must
 * be serializable by Hazelcast ({@link Util#entry}).
 */
public final class SaleEvents {

    public static final int SCHEMA_VERSION = 1;
    public static final String ORDER_RESERVED = "order.reserved";
    public static final String SALE_SCHEDULED = "sale.scheduled";

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final TypeReference<Map<String, Object>> EVENT = new TypeReference<>() { };

    private SaleEvents() {
    }

    /**
     * Whether a stock journal event is a new reservation. Only {@code ReserveStock} writes a
     * bucket with {@code last} set (creation writes none, and a repeated reservation writes
     * nothing), so the new value alone tells. The old value is never read: the journal hands it
     * over serialized, and deserializing it on the partition thread for nothing cost a visible
     * share of the purchase path.
     */
    public static boolean isReservation(EventJournalMapEvent<StockKey, StockBucket> event) {
        StockBucket after = event.getNewValue();
        return after != null && after.last() != null;
    }

    /** The {@code order.reserved} event of a reservation, keyed by order id. */
    public static Map.Entry<String, String> reserved(EventJournalMapEvent<StockKey, StockBucket> event) {
        Reserved reserved = event.getNewValue().last();
        Map<String, Object> json = envelope(reserved.orderId() + "/reserved", ORDER_RESERVED, reserved.reservedAtMillis());
        json.put("saleId", event.getKey().saleId());
        json.put("orderId", reserved.orderId());
        json.put("shopperId", reserved.shopperId());
        json.put("quantity", reserved.quantity());
        json.put("unitPrice", reserved.unitPrice().toPlainString());
        json.put("bucket", event.getKey().bucket());
        json.put("expiresAt", Instant.ofEpochMilli(reserved.expiresAtMillis()).toString());
        return Util.entry(reserved.orderId(), toJson(json));
    }

    public static boolean isSaleChange(EventJournalMapEvent<String, Sale> event) {
        return event.getNewValue() != null;
    }

    /** The {@code sale.scheduled} event of a sale as it now stands, keyed by sale id. */
    public static Map.Entry<String, String> scheduled(EventJournalMapEvent<String, Sale> event) {
        Sale sale = event.getNewValue();
        Map<String, Object> json = envelope("sale/" + sale.id() + "/" + sale.scheduledAtMillis(), SALE_SCHEDULED,
                sale.scheduledAtMillis());
        json.put("saleId", sale.id());
        json.put("name", sale.name());
        json.put("price", sale.price().toPlainString());
        json.put("stock", sale.stock());
        json.put("startsAt", sale.startsAt().toString());
        json.put("endsAt", sale.endsAt().toString());
        json.put("perShopperLimit", sale.perShopperLimit());
        json.put("paymentWindowSeconds", sale.paymentWindow().toSeconds());
        json.put("buckets", sale.buckets());
        return Util.entry(sale.id(), toJson(json));
    }

    public static Map<String, Object> parse(String json) {
        try {
            return JSON.readValue(json, EVENT);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("not a sale event: " + json, e);
        }
    }

    private static Map<String, Object> envelope(String eventId, String type, long occurredAtMillis) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("eventId", eventId);
        json.put("type", type);
        json.put("schemaVersion", SCHEMA_VERSION);
        json.put("occurredAt", Instant.ofEpochMilli(occurredAtMillis).toString());
        return json;
    }

    private static String toJson(Map<String, Object> json) {
        try {
            return JSON.writeValueAsString(json);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write event " + json, e);
        }
    }
}
