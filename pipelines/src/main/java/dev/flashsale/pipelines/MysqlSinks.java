package dev.flashsale.pipelines;

import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;

import com.hazelcast.function.BiConsumerEx;
import com.hazelcast.jet.pipeline.Sink;
import com.hazelcast.jet.pipeline.Sinks;
import com.mysql.cj.jdbc.MysqlDataSource;

/**
 * Idempotent upserts into MySQL. Not XA: Jet turns autocommit off on an XA sink's connection
 * and MariaDB then refuses {@code XA COMMIT}, failing the job at its first hard restart. An
 * upsert keyed by the order id, that never increments and only moves a status forward, is
 * exact under the at-least-once delivery a restarted job gives.
 */
public final class MysqlSinks {

    // RESERVED is overtaken by any final state; a final state is never replaced.
    private static final String ORDER_UPSERT = """
            INSERT INTO orders (order_id, sale_id, shopper_id, quantity, unit_price, status, bucket,
                                reserved_at, expires_at, recorded_at, updated_at)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, UTC_TIMESTAMP(3), UTC_TIMESTAMP(3))
            ON DUPLICATE KEY UPDATE
                updated_at = IF(status = 'RESERVED' AND VALUES(status) <> 'RESERVED', UTC_TIMESTAMP(3), updated_at),
                status     = IF(status = 'RESERVED' AND VALUES(status) <> 'RESERVED', VALUES(status), status)
            """;

    private static final String SALE_UPSERT = """
            INSERT INTO sales (sale_id, name, price, stock, starts_at, ends_at, per_shopper_limit,
                               payment_window_seconds, buckets, updated_at)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, UTC_TIMESTAMP(3))
            ON DUPLICATE KEY UPDATE
                name = VALUES(name), price = VALUES(price), stock = VALUES(stock),
                starts_at = VALUES(starts_at), ends_at = VALUES(ends_at),
                per_shopper_limit = VALUES(per_shopper_limit),
                payment_window_seconds = VALUES(payment_window_seconds), buckets = VALUES(buckets),
                updated_at = UTC_TIMESTAMP(3)
            """;

    private MysqlSinks() {
    }

    public static Sink<OrderRow> orders(String url, String user, String password) {
        return upsert(ORDER_UPSERT, MysqlSinks::bindOrder, url, user, password);
    }

    public static Sink<SaleRow> sales(String url, String user, String password) {
        return upsert(SALE_UPSERT, MysqlSinks::bindSale, url, user, password);
    }

    private static <T> Sink<T> upsert(String sql, BiConsumerEx<PreparedStatement, T> bind,
                                      String url, String user, String password) {
        return Sinks.<T>jdbcBuilder()
                .updateQuery(sql)
                .dataSourceSupplier(() -> dataSource(url, user, password))
                .exactlyOnce(false)
                .bindFn(bind)
                .build();
    }

    private static void bindOrder(PreparedStatement statement, OrderRow order) throws SQLException {
        statement.setString(1, order.orderId());
        statement.setString(2, order.saleId());
        statement.setString(3, order.shopperId());
        statement.setInt(4, order.quantity());
        statement.setBigDecimal(5, order.unitPrice());
        statement.setString(6, order.status());
        statement.setInt(7, order.bucket());
        statement.setObject(8, utc(order.reservedAt()));
        statement.setObject(9, utc(order.expiresAt()));
    }

    private static void bindSale(PreparedStatement statement, SaleRow sale) throws SQLException {
        statement.setString(1, sale.saleId());
        statement.setString(2, sale.name());
        statement.setBigDecimal(3, sale.price());
        statement.setInt(4, sale.stock());
        statement.setObject(5, utc(sale.startsAt()));
        statement.setObject(6, utc(sale.endsAt()));
        statement.setInt(7, sale.perShopperLimit());
        statement.setLong(8, sale.paymentWindowSeconds());
        statement.setInt(9, sale.buckets());
    }

    // DATETIME columns hold UTC; a LocalDateTime is sent as is, whatever the session's time zone.
    private static LocalDateTime utc(Instant instant) {
        return LocalDateTime.ofInstant(instant, ZoneOffset.UTC);
    }

    private static MysqlDataSource dataSource(String url, String user, String password) throws SQLException {
        MysqlDataSource dataSource = new MysqlDataSource();
        dataSource.setUrl(url);
        dataSource.setUser(user);
        dataSource.setPassword(password);
        // The sink sends its rows in batches; one multi-row upsert per batch instead of one
        // statement per row.
        dataSource.setRewriteBatchedStatements(true);
        return dataSource;
    }
}
