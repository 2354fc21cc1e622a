package dev.flashsale.pipelines.ledger;

import java.math.BigDecimal;
import java.time.Instant;

/** A sale event as it lands in MySQL's {@code sales} table; {@code scheduledAt} orders versions of one sale. */
public record SaleRow(
        String saleId,
        String name,
        BigDecimal price,
        int stock,
        Instant startsAt,
        Instant endsAt,
        int perShopperLimit,
        int paymentWindowSeconds,
        int buckets,
        Instant scheduledAt,
        SourceRecord source) implements LedgerEntry {
}
