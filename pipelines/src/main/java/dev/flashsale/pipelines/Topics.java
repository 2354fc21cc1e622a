package dev.flashsale.pipelines;

/** The Kafka topics of the platform. */
public final class Topics {

    /**
     * Every sale event as JSON (see README, "Sale events"), keyed by order id for order events
     * and by sale id for sale events, so that one order's events stay in order on one partition.
     * Written transactionally: readers use {@code isolation.level=read_committed}.
     */
    public static final String SALE_EVENTS = "sale-events";

    /**
     * The records of {@link #SALE_EVENTS} that the orders job could not write, as JSON with the
     * reason, keyed by where the record sits (see {@code DeadLetterTopic}). A best-effort copy:
     * MySQL's {@code dead_letters} table holds each dead letter exactly once.
     */
    public static final String DEAD_LETTERS = "sale-events-dead-letters";

    private Topics() {
    }
}
