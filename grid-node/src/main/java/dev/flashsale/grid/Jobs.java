package dev.flashsale.grid;

/** The Jet jobs of the event path, by name: the pipelines module submits them, API nodes report on them. */
public final class Jobs {

    /** grid journals → Kafka {@code sale-events}. */
    public static final String OUTBOX = "sale-outbox";
    /** Kafka {@code sale-events} → MySQL. */
    public static final String ORDERS = "sale-events-to-mysql";
    /** MySQL {@code sales} (its binlog) → the grid's catalog mirror. */
    public static final String CATALOG = "sale-catalog";

    private Jobs() {
    }
}
