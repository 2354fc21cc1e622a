package dev.flashsale.pipelines.events;

import java.time.Instant;

/**
 * A bucket gave units back to the sale (orders cancelled or expired, duplicate reservations):
 * {@code returnedUnits} is how many it has given back in all, a total that only grows, so a
 * replayed or late event changes nothing. Keyed by sale id.
 */
public record StockReturned(
        String eventId,
        int schemaVersion,
        Instant occurredAt,
        String saleId,
        int bucket,
        int returnedUnits,
        long journalSeq) implements SaleEvent {

    public static final String TYPE = "stock.returned";

    public static String eventIdOf(String saleId, int bucket, int returnedUnits) {
        return "returned/" + saleId + '/' + bucket + '/' + returnedUnits;
    }
}
