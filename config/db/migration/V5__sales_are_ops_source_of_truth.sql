-- MySQL's sales table is ops' source of truth from here on: the admin API and ops' own SQL
-- write it, and the sale-catalog job carries every change to the grid by change data capture.
-- version grows with every change of what a row says of the sale (not of its bookkeeping
-- times), also one made by hand, so the grid can always tell the newer of two copies of a row;
-- an update that changes nothing of it leaves the row, and the binlog, as they were. stock is the units ops want on sale in all: a top-up raises
-- it, a withdrawal lowers it. paused holds a sale: purchases are refused until it is resumed.
-- placed is set before the grid first creates the sale: a sale placed once is never created
-- again with fresh stock (after a full restart it is rebuilt from its orders instead, once the
-- event path has carried them all into MySQL).
ALTER TABLE sales
    ADD COLUMN paused  BOOLEAN NOT NULL DEFAULT FALSE,
    ADD COLUMN version BIGINT  NOT NULL DEFAULT 1,
    ADD COLUMN placed  BOOLEAN NOT NULL DEFAULT FALSE;

CREATE TRIGGER sales_version BEFORE UPDATE ON sales FOR EACH ROW
    SET NEW.version = OLD.version + IF(NEW.name <=> OLD.name AND NEW.price <=> OLD.price AND NEW.stock <=> OLD.stock
                                       AND NEW.starts_at <=> OLD.starts_at AND NEW.ends_at <=> OLD.ends_at
                                       AND NEW.per_shopper_limit <=> OLD.per_shopper_limit
                                       AND NEW.payment_window_seconds <=> OLD.payment_window_seconds
                                       AND NEW.buckets <=> OLD.buckets AND NEW.paused <=> OLD.paused, 0, 1);
