-- The order lifecycle: an order leaves RESERVED once, to PAID, CANCELLED or EXPIRED, and its
-- row keeps when (and by which payment, if paid). Rows from before keep NULLs.
ALTER TABLE orders
    ADD COLUMN paid_at      DATETIME(3)  NULL,
    ADD COLUMN cancelled_at DATETIME(3)  NULL,
    ADD COLUMN expired_at   DATETIME(3)  NULL,
    ADD COLUMN payment_id   VARCHAR(128) NULL;

-- Per bucket: released_units, the units of its orders that ended unpaid, counted in the
-- transaction that moved each order out of RESERVED (so exactly once); settlement has the
-- bucket give back released_units + duplicate_units. returned_units is what the bucket reports
-- it has given back in all (stock.returned), a total that only grows. At a quiet moment the two
-- sums are equal, and a sale's
--   stock = available + reserved + paid,  available = stock - units reserved + returned_units
-- holds in MySQL as in the grid.
ALTER TABLE bucket_progress
    ADD COLUMN released_units BIGINT NOT NULL DEFAULT 0,
    ADD COLUMN returned_units BIGINT NOT NULL DEFAULT 0;

-- Payments that bought nothing: a payment for an order that had expired or was cancelled, a
-- second payment of a paid order, a payment for an order the shopper does not have. Written by
-- the payment callback before it answers the provider, once per payment id.
CREATE TABLE refunds_due (
    payment_id  VARCHAR(128)  NOT NULL,
    order_id    VARCHAR(36)   NOT NULL,
    sale_id     VARCHAR(64)   NOT NULL,
    shopper_id  VARCHAR(128)  NOT NULL,
    amount      DECIMAL(12,2) NOT NULL,
    reason      VARCHAR(32)   NOT NULL,
    paid_at     DATETIME(3)   NOT NULL,
    recorded_at DATETIME(3)   NOT NULL,
    PRIMARY KEY (payment_id),
    KEY refunds_due_by_order (order_id)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4;
