-- MySQL's sales table is ops' source of truth from here on: the admin API and ops' own SQL
-- write it, and the sale-catalog job carries every change to the grid by change data capture.
-- version grows with every change of a row, also one made by hand, so the grid can always tell
-- the newer of two copies of a row. stock is the units ops want on sale in all: a top-up raises
-- it, a withdrawal lowers it. paused holds a sale: purchases are refused until it is resumed.
ALTER TABLE sales
    ADD COLUMN paused  BOOLEAN NOT NULL DEFAULT FALSE,
    ADD COLUMN version BIGINT  NOT NULL DEFAULT 1;

CREATE TRIGGER sales_version BEFORE UPDATE ON sales FOR EACH ROW SET NEW.version = OLD.version + 1;
