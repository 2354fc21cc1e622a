-- Every reservation a bucket made, named by the bucket, the member that made it (slot) and
-- the bucket's write count (journal_seq). An order normally has one; a second one is a
-- processor that Hazelcast ran twice, and its units go back to the bucket. The order's row
-- names the reservation it kept: the first to arrive.
CREATE TABLE reservations (
    sale_id      VARCHAR(64)  NOT NULL,
    bucket       INT          NOT NULL,
    slot         CHAR(36)     NOT NULL,
    journal_seq  BIGINT       NOT NULL,
    order_id     CHAR(36)     NOT NULL,
    quantity     INT          NOT NULL,
    reserved_at  DATETIME(3)  NOT NULL,
    recorded_at  DATETIME(3)  NOT NULL,
    PRIMARY KEY (sale_id, bucket, slot, journal_seq)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4;

-- Orders from before reservations were named name themselves, as their events read now.
ALTER TABLE orders
    ADD COLUMN slot        CHAR(36) NOT NULL DEFAULT '',
    ADD COLUMN journal_seq BIGINT   NOT NULL DEFAULT 0;
UPDATE orders SET slot = order_id WHERE slot = '';

-- What MySQL has of each bucket, written in the transaction that records its reservations:
-- how many (settlement waits for this to reach the count a fence reported), the newest write
-- count among them (the bucket's journal share is measured from it), and the units of its
-- duplicate reservations (which the bucket gives back).
CREATE TABLE bucket_progress (
    sale_id          VARCHAR(64) NOT NULL,
    bucket           INT         NOT NULL,
    reservations     BIGINT      NOT NULL,
    read_up_to       BIGINT      NOT NULL,
    duplicate_units  BIGINT      NOT NULL DEFAULT 0,
    updated_at       DATETIME(3) NOT NULL,
    PRIMARY KEY (sale_id, bucket)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4;
