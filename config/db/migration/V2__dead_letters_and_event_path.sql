-- Records of sale-events that could not become rows (not a sale event, a tombstone, a value
-- beyond what the tables hold, a row MySQL refused), with why. One row per Kafka record: the
-- key is where the record sits, so a replayed record finds its dead letter. Every column is
-- wide enough for what the orders job puts in it (it cuts key, value and reason to fit), so a
-- dead letter itself can always be stored.
-- event_type and event_at are set when the record was a sale event of a known type (so that
-- the letter resolves once a repaired version of the event lands); sale_id and order_id are
-- read best-effort even from records that are not. resolved_at is set by ops, by hand, for a
-- letter that needs no repair.
CREATE TABLE dead_letters (
    topic            VARCHAR(249)  NOT NULL,
    kafka_partition  INT           NOT NULL,
    kafka_offset     BIGINT        NOT NULL,
    sale_id          VARCHAR(64)   NULL,
    order_id         CHAR(36)      NULL,
    event_type       VARCHAR(32)   NULL,
    event_at         DATETIME(3)   NULL,
    reason           VARCHAR(1000) NOT NULL,
    record_key       VARCHAR(512)  NULL,
    record_value     TEXT          NULL,
    dead_lettered_at DATETIME(3)   NOT NULL,
    resolved_at      DATETIME(3)   NULL,
    PRIMARY KEY (topic, kafka_partition, kafka_offset),
    KEY dead_letters_by_sale (sale_id),
    KEY dead_letters_by_order (order_id)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4;

-- The newest heartbeat that reached MySQL through each partition of sale-events: how far
-- behind the event path runs, whatever state its jobs report.
CREATE TABLE event_path_heartbeats (
    kafka_partition INT         NOT NULL,
    beat_at         DATETIME(3) NOT NULL,
    recorded_at     DATETIME(3) NOT NULL,
    PRIMARY KEY (kafka_partition)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4;

-- When ops made the version of the sale a row holds: an older version arriving late never
-- replaces a newer one. Rows from before this column count as the oldest.
ALTER TABLE sales ADD COLUMN scheduled_at DATETIME(3) NOT NULL DEFAULT '1000-01-01 00:00:00.000';
