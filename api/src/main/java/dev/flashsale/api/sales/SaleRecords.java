package dev.flashsale.api.sales;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

import javax.sql.DataSource;

/**
 * Whether MySQL holds orders of a sale id (its reservations' progress or its order rows): a
 * sale the grid lost (a full restart) must not be created again from its row with fresh
 * buckets, or units MySQL holds orders for would be sold again. Blocking JDBC.
 */
public interface SaleRecords {

    /** For an API node without MySQL: nothing is on record. */
    SaleRecords NONE = saleId -> false;

    boolean hasRecordOf(String saleId) throws SQLException;

    static SaleRecords in(DataSource mysql) {
        return saleId -> {
            try (Connection connection = mysql.getConnection();
                 PreparedStatement statement = connection.prepareStatement("""
                         SELECT 1 FROM bucket_progress WHERE sale_id = ?
                         UNION ALL SELECT 1 FROM orders WHERE sale_id = ?
                         LIMIT 1
                         """)) {
                for (int i = 1; i <= 2; i++) {
                    statement.setString(i, saleId);
                }
                try (ResultSet row = statement.executeQuery()) {
                    return row.next();
                }
            }
        };
    }
}
