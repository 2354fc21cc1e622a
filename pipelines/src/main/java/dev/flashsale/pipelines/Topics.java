package dev.flashsale.pipelines;

/** The Kafka topics of the platform. */
public final class Topics {

    /**
     * Every sale event as JSON (see README, "Sale events"), keyed by order id for order events
     * and by sale id for sale events, so that one order's events stay in order on one partition.
     * Written transactionally: readers use {@code isolation.level=read_committed}.
     */
    public static final String SALE_EVENTS = "sale-events";

    private Topics() {
    }
}
