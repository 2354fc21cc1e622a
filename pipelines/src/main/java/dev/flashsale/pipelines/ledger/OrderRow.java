package dev.flashsale.pipelines.ledger;

import java.math.BigDecimal;
import java.time.Instant;

/** An order event as it lands in MySQL's {@code orders} table. */
public record OrderRow(
        String orderId,
        String saleId,
        String shopperId,
        int quantity,
        BigDecimal unitPrice,
        String status,
        int bucket,
        Instant reservedAt,
        Instant expiresAt,
        SourceRecord source) implements LedgerEntry {
}
