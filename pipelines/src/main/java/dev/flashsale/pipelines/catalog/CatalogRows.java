package dev.flashsale.pipelines.catalog;

import java.math.BigDecimal;
import java.util.Map;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.hazelcast.jet.cdc.ChangeRecord;
import com.hazelcast.jet.cdc.Operation;

import dev.flashsale.sale.CatalogRow;

/**
 * A change record of MySQL's {@code sales} table as the row it leaves: what the catalog mirror
 * holds. Never throws: a deleted row (sales are never deleted; a deletion is ignored, the sale
 * lives on in the grid) and a row that cannot be read are null, and logged, so that one bad row
 * cannot stop the job. Whether a readable row is a valid sale, the API nodes judge.
 */
public final class CatalogRows {

    private static final Logger LOG = LoggerFactory.getLogger(CatalogRows.class);

    private CatalogRows() {
    }

    public static CatalogRow of(ChangeRecord record) {
        try {
            if (record.operation() == Operation.DELETE) {
                LOG.warn("a sales row was deleted in MySQL; the sale stays on the grid: {}", record.key().toJson());
                return null;
            }
            return row(record.value().toMap());
        } catch (RuntimeException e) {
            LOG.error("a sales row from MySQL cannot be read, so the grid does not get it: {}", e.toString());
            return null;
        }
    }

    /** The row's columns as the connector hands them over: DATETIME as epoch milliseconds, DECIMAL as text. */
    static CatalogRow row(Map<String, Object> columns) {
        return new CatalogRow(
                (String) columns.get("sale_id"),
                (String) columns.get("name"),
                new BigDecimal(columns.get("price").toString()),
                number(columns, "stock").intValue(),
                number(columns, "starts_at").longValue(),
                number(columns, "ends_at").longValue(),
                number(columns, "per_shopper_limit").intValue(),
                number(columns, "payment_window_seconds").longValue(),
                number(columns, "buckets").intValue(),
                bool(columns.get("paused")),
                number(columns, "version").longValue());
    }

    private static Number number(Map<String, Object> columns, String column) {
        Object value = columns.get(column);
        if (!(value instanceof Number number)) {
            throw new IllegalArgumentException("column " + column + " is " + value);
        }
        return number;
    }

    // BOOLEAN is TINYINT(1) in MySQL: the connector may hand it over as a number.
    private static boolean bool(Object value) {
        return value instanceof Boolean flag ? flag : value instanceof Number number && number.intValue() != 0;
    }
}
