package dev.flashsale.pipelines.ledger;

import java.util.List;
import java.util.concurrent.CompletableFuture;

/** Where the orders job records sale events: MySQL in production ({@link MysqlLedger}). */
public interface Ledger extends AutoCloseable {

    /**
     * Writes every entry, in order, and completes once they are all recorded: with, for each
     * entry, the dead letter it became (one it already was, or a row the store refused), or
     * null for a row written. Completes only when the store answered: a store that cannot be
     * reached is retried, never skipped.
     */
    CompletableFuture<List<DeadLetter>> write(List<LedgerEntry> entries);

    @Override
    void close();
}
