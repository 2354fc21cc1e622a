-- Sales as ops scheduled them, and every order the grid reserved.
-- Written only by the sale-events-to-mysql job, with upserts that a replayed event cannot change.
-- No foreign keys: the write burst of a sale must not wait on lookups, and events of one
-- sale may land before or after the sale's own row.

CREATE TABLE sales (
    sale_id                VARCHAR(64)   NOT NULL,
    name                   VARCHAR(200)  NOT NULL,
    price                  DECIMAL(12,2) NOT NULL,
    stock                  INT           NOT NULL,
    starts_at              DATETIME(3)   NOT NULL,
    ends_at                DATETIME(3)   NOT NULL,
    per_shopper_limit      INT           NOT NULL,
    payment_window_seconds INT           NOT NULL,
    buckets                INT           NOT NULL,
    updated_at             DATETIME(3)   NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
    PRIMARY KEY (sale_id)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4;

-- One row per order, keyed by the order id the grid derived: a replayed event finds its row
-- and changes nothing; a later state (PAID, CANCELLED, EXPIRED) only ever moves the status
-- forward. Indexes serve the two real lookups: a shopper's orders, and a sale's orders by state
-- (reconciliation, finance). Shard by shopper_id when one server is not enough.
CREATE TABLE orders (
    order_id     CHAR(36)      NOT NULL,
    sale_id      VARCHAR(64)   NOT NULL,
    shopper_id   VARCHAR(128)  NOT NULL,
    quantity     INT           NOT NULL,
    unit_price   DECIMAL(12,2) NOT NULL,
    status       VARCHAR(16)   NOT NULL,
    bucket       INT           NOT NULL,
    reserved_at  DATETIME(3)   NOT NULL,
    expires_at   DATETIME(3)   NOT NULL,
    recorded_at  DATETIME(3)   NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
    updated_at   DATETIME(3)   NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
    PRIMARY KEY (order_id),
    KEY orders_by_shopper (shopper_id, sale_id),
    KEY orders_by_sale_status (sale_id, status)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4;
