package dev.flashsale.pipelines.ledger;

import java.io.Serializable;

/**
 * What the orders job writes into MySQL for one record of the topic: a row of a table, or the
 * dead letter the record became. Each keeps its source record, so that a row MySQL refuses can
 * still become a dead letter that names the record.
 */
public sealed interface LedgerEntry extends Serializable permits OrderRow, OrderEndRow, ReturnedRow, SaleRow, HeartbeatRow, DeadLetter {

    SourceRecord source();
}
