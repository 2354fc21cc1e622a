package dev.flashsale.api.reconciliation;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

import javax.sql.DataSource;

/** The orders MySQL holds for a sale: what the pipeline has recorded so far. Blocking JDBC. */
public final class OrderLedger {

    /**
     * Orders and units of a sale that hold stock (reserved or paid), the sale's stock as MySQL
     * knows it, and its conservation terms: units reserved and paid, every unit a reservation
     * took (duplicates included) and every unit the buckets reported given back.
     */
    public record Totals(long orders, long units, Integer saleStock, long reservedUnits, long paidUnits, long unitsTaken,
                         long unitsReturned) {

        public Totals(long orders, long units, Integer saleStock) {
            this(orders, units, saleStock, units, 0, units, 0);
        }

        /** Units still on sale as MySQL's events tell: stock less every unit taken, plus every unit given back. */
        public long available() {
            return (saleStock == null ? 0 : saleStock) - unitsTaken + unitsReturned;
        }
    }

    private static final String TOTALS = """
            SELECT COUNT(*), COALESCE(SUM(quantity), 0),
                   (SELECT stock FROM sales WHERE sale_id = ?),
                   COALESCE(SUM(CASE WHEN status = 'RESERVED' THEN quantity END), 0),
                   COALESCE(SUM(CASE WHEN status = 'PAID' THEN quantity END), 0),
                   (SELECT COALESCE(SUM(quantity), 0) FROM reservations WHERE sale_id = ?),
                   (SELECT COALESCE(SUM(returned_units), 0) FROM bucket_progress WHERE sale_id = ?)
            FROM orders
            WHERE sale_id = ? AND status IN ('RESERVED', 'PAID')
            """;

    private final DataSource dataSource;

    public OrderLedger(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    public Totals totals(String saleId) throws SQLException {
        try (Connection connection = dataSource.getConnection();
             PreparedStatement statement = connection.prepareStatement(TOTALS)) {
            for (int at = 1; at <= 4; at++) {
                statement.setString(at, saleId);
            }
            try (ResultSet row = statement.executeQuery()) {
                row.next();
                int stock = row.getInt(3);
                Integer saleStock = row.wasNull() ? null : stock;
                return new Totals(row.getLong(1), row.getLong(2), saleStock, row.getLong(4), row.getLong(5), row.getLong(6),
                        row.getLong(7));
            }
        }
    }
}
