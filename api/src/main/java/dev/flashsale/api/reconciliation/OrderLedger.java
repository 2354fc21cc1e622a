package dev.flashsale.api.reconciliation;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

import javax.sql.DataSource;

/** The orders MySQL holds for a sale: what the pipeline has recorded so far. Blocking JDBC. */
public final class OrderLedger {

    /** Orders and units of a sale that hold stock (reserved or paid), and the sale's stock as MySQL knows it. */
    public record Totals(long orders, long units, Integer saleStock) {
    }

    private static final String TOTALS = """
            SELECT COUNT(*), COALESCE(SUM(quantity), 0),
                   (SELECT stock FROM sales WHERE sale_id = ?)
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
            statement.setString(1, saleId);
            statement.setString(2, saleId);
            try (ResultSet row = statement.executeQuery()) {
                row.next();
                int stock = row.getInt(3);
                return new Totals(row.getLong(1), row.getLong(2), row.wasNull() ? null : stock);
            }
        }
    }
}
