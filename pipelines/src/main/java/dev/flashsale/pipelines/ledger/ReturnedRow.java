package dev.flashsale.pipelines.ledger;

/**
 * How many units a bucket has given back in all, as it reported them: raises
 * {@code bucket_progress.returned_units} (a register that only grows) and {@code read_up_to}.
 */
public record ReturnedRow(String saleId, int bucket, int returnedUnits, long journalSeq, SourceRecord source)
        implements LedgerEntry {
}
