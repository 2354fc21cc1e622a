package dev.flashsale.api.sales;

import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLIntegrityConstraintViolationException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import javax.sql.DataSource;

import dev.flashsale.sale.CatalogRow;
import dev.flashsale.sale.Limits;

/**
 * MySQL's {@code sales} table, ops' source of truth for sales: what the admin API writes (and
 * nothing else of the platform does); change data capture carries each change to the grid.
 * Every change raises the row's {@code version} (a trigger does, for ops' own SQL too).
 * Blocking JDBC.
 */
public final class SaleTable {

    private static final String INSERT = """
            INSERT INTO sales (sale_id, name, price, stock, starts_at, ends_at, per_shopper_limit, payment_window_seconds,
                               buckets, paused, scheduled_at, updated_at)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, FALSE, UTC_TIMESTAMP(3), UTC_TIMESTAMP(3))
            """;
    // Every column the revision leaves null keeps its value.
    private static final String REVISE = """
            UPDATE sales SET name = COALESCE(?, name), price = COALESCE(?, price), starts_at = COALESCE(?, starts_at),
                             ends_at = COALESCE(?, ends_at), per_shopper_limit = COALESCE(?, per_shopper_limit),
                             payment_window_seconds = COALESCE(?, payment_window_seconds), paused = COALESCE(?, paused),
                             scheduled_at = UTC_TIMESTAMP(3), updated_at = UTC_TIMESTAMP(3)
            WHERE sale_id = ?
            """;
    // The stock ops want on sale stays within what the columns and the rules allow.
    private static final String CHANGE_STOCK = """
            UPDATE sales SET stock = stock + ?, scheduled_at = UTC_TIMESTAMP(3), updated_at = UTC_TIMESTAMP(3)
            WHERE sale_id = ? AND stock + ? BETWEEN 0 AND ?
            """;
    private static final String PLACED = "SELECT placed FROM sales WHERE sale_id = ?";
    private static final String MARK_PLACED = "UPDATE sales SET placed = TRUE WHERE sale_id = ?";
    private static final String ROWS = """
            SELECT sale_id, name, price, stock, starts_at, ends_at, per_shopper_limit, payment_window_seconds, buckets, paused,
                   version
            FROM sales
            """;

    /** What a revision changes; null leaves a field as it is. */
    public record Revision(String name, BigDecimal price, Instant startsAt, Instant endsAt, Integer perShopperLimit,
                           Long paymentWindowSeconds, Boolean paused) {
    }

    private final DataSource dataSource;

    public SaleTable(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** Inserts a new sale's row; answers its version. Refused if any row has the id. */
    public long insert(NewSale sale) throws SQLException {
        try (Connection connection = dataSource.getConnection();
             PreparedStatement statement = connection.prepareStatement(INSERT)) {
            statement.setString(1, sale.id());
            statement.setString(2, sale.name());
            statement.setBigDecimal(3, sale.price());
            statement.setInt(4, sale.stock());
            statement.setObject(5, utc(sale.startsAt()));
            statement.setObject(6, utc(sale.endsAt()));
            statement.setInt(7, sale.perShopperLimit());
            statement.setLong(8, sale.paymentWindow().toSeconds());
            statement.setInt(9, sale.buckets());
            statement.executeUpdate();
            return 1;
        } catch (SQLIntegrityConstraintViolationException duplicate) {
            throw SaleExistsException.of(sale.id());
        }
    }

    /**
     * Whether the grid has ever been about to create the sale: set before it first is
     * ({@link #markPlaced}), so that a sale the grid lost is rebuilt from its orders, never created
     * again with fresh stock.
     */
    public boolean wasPlaced(String saleId) throws SQLException {
        try (Connection connection = dataSource.getConnection();
             PreparedStatement statement = connection.prepareStatement(PLACED)) {
            statement.setString(1, saleId);
            try (ResultSet row = statement.executeQuery()) {
                return row.next() && row.getBoolean(1);
            }
        }
    }

    public void markPlaced(String saleId) throws SQLException {
        try (Connection connection = dataSource.getConnection();
             PreparedStatement statement = connection.prepareStatement(MARK_PLACED)) {
            statement.setString(1, saleId);
            statement.executeUpdate();
        }
    }

    /**
     * Revises a sale's row; answers it as it now stands, or empty if there is no such row.
     * Refused, and nothing changed ({@link InvalidSaleException}), if the row would no longer be
     * a valid sale (a start no longer before the end, say).
     */
    public Optional<CatalogRow> revise(String saleId, Revision revision) throws SQLException {
        try (Connection connection = dataSource.getConnection();
             PreparedStatement statement = connection.prepareStatement(REVISE)) {
            connection.setAutoCommit(false);
            statement.setString(1, revision.name());
            statement.setBigDecimal(2, revision.price());
            statement.setObject(3, revision.startsAt() == null ? null : utc(revision.startsAt()));
            statement.setObject(4, revision.endsAt() == null ? null : utc(revision.endsAt()));
            statement.setObject(5, revision.perShopperLimit());
            statement.setObject(6, revision.paymentWindowSeconds());
            statement.setObject(7, revision.paused());
            statement.setString(8, saleId);
            statement.executeUpdate();
            Optional<CatalogRow> row = row(connection, saleId);
            List<String> problems = row.map(revised -> SaleRules.problemsOf(revised, false)).orElse(List.of());
            if (!problems.isEmpty()) {
                connection.rollback();
                throw new InvalidSaleException(problems);
            }
            connection.commit();
            return row;
        }
    }

    /**
     * Adds {@code units} (a withdrawal: fewer than 0) to the stock ops want on sale; answers
     * the row after, or empty if there is no such row. Refused ({@link StockOutOfRangeException})
     * if the stock would leave 0 to {@link Limits#MAX_STOCK}.
     */
    public Optional<CatalogRow> changeStock(String saleId, int units) throws SQLException {
        try (Connection connection = dataSource.getConnection();
             PreparedStatement statement = connection.prepareStatement(CHANGE_STOCK)) {
            statement.setInt(1, units);
            statement.setString(2, saleId);
            statement.setInt(3, units);
            statement.setInt(4, Limits.MAX_STOCK);
            boolean changed = statement.executeUpdate() == 1;
            Optional<CatalogRow> row = row(connection, saleId);
            if (row.isPresent() && !changed) {
                throw new StockOutOfRangeException(row.get().stock());
            }
            return row;
        }
    }

    /** Every sale's row. */
    public List<CatalogRow> rows() throws SQLException {
        try (Connection connection = dataSource.getConnection();
             PreparedStatement statement = connection.prepareStatement(ROWS);
             ResultSet rows = statement.executeQuery()) {
            List<CatalogRow> all = new ArrayList<>();
            while (rows.next()) {
                all.add(row(rows));
            }
            return all;
        }
    }

    private static Optional<CatalogRow> row(Connection connection, String saleId) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(ROWS + " WHERE sale_id = ?")) {
            statement.setString(1, saleId);
            try (ResultSet rows = statement.executeQuery()) {
                return rows.next() ? Optional.of(row(rows)) : Optional.empty();
            }
        }
    }

    private static CatalogRow row(ResultSet rows) throws SQLException {
        return new CatalogRow(rows.getString(1), rows.getString(2), rows.getBigDecimal(3), rows.getInt(4),
                millis(rows, 5), millis(rows, 6), rows.getInt(7), rows.getLong(8), rows.getInt(9), rows.getBoolean(10),
                rows.getLong(11));
    }

    private static long millis(ResultSet rows, int column) throws SQLException {
        return rows.getObject(column, LocalDateTime.class).toInstant(ZoneOffset.UTC).toEpochMilli();
    }

    private static LocalDateTime utc(Instant instant) {
        return LocalDateTime.ofInstant(instant, ZoneOffset.UTC);
    }
}
