package dev.flashsale.pipelines.ledger;

import java.math.BigDecimal;
import java.time.Instant;

/**
 * An order event as it lands in MySQL: a row of {@code reservations} named by
 * {@code (saleId, bucket, slot, journalSeq)}, and the order's row in {@code orders} if it has
 * none yet.
 */
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
        String slot,
        long journalSeq,
        SourceRecord source) implements LedgerEntry {
}
