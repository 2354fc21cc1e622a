package dev.flashsale.api.eventpath;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

import javax.sql.DataSource;

/** What MySQL says of the event path: the newest heartbeat per partition, and the dead letters. Blocking JDBC. */
public final class EventPathLedger {

    /**
     * A record the orders job could not write, as the {@code dead_letters} table holds it.
     * {@code eventType} is null when the record was no sale event of a known type.
     */
    public record DeadLetterView(String topic, int partition, long offset, String saleId, String orderId, String eventType,
                                 String reason, String key, String value, Instant deadLetteredAt, boolean resolved) {
    }

    // Resolved: ops marked it so by hand; or it was an order.reserved event and the order has its
    // row by now; or a sale.scheduled event and the sale's row holds that version or a newer one
    // (ops republished a repaired event). A record that was no sale event is resolved by hand only:
    // ids read from a record that did not parse prove nothing about what it carried.
    private static final String RESOLVED = "(d.resolved_at IS NOT NULL"
            + " OR (d.event_type = 'order.reserved' AND EXISTS (SELECT 1 FROM orders o WHERE o.order_id = d.order_id))"
            + " OR (d.event_type = 'sale.scheduled' AND EXISTS"
            + " (SELECT 1 FROM sales s WHERE s.sale_id = d.sale_id AND s.scheduled_at >= d.event_at)))";

    private final DataSource dataSource;

    public EventPathLedger(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /**
     * How old the oldest of the newest beats per partition is, by MySQL's clock (the one that
     * also caps every beat it records, so that no skewed clock can pin a partition); null when
     * no partition has reported a beat yet.
     */
    public Beats beats() throws SQLException {
        try (Connection connection = dataSource.getConnection();
             PreparedStatement statement = connection.prepareStatement(
                     "SELECT TIMESTAMPDIFF(MICROSECOND, MIN(beat_at), UTC_TIMESTAMP(3)) DIV 1000, COUNT(*) FROM event_path_heartbeats");
             ResultSet row = statement.executeQuery()) {
            row.next();
            long lag = row.getLong(1);
            return new Beats(row.wasNull() ? null : Math.max(0, lag), row.getInt(2));
        }
    }

    public record Beats(Long lagMillis, int partitions) {
    }

    /** How many dead letters are not resolved, of one sale or ({@code saleId} null) of all. */
    public long countDeadLetters(String saleId) throws SQLException {
        String sql = "SELECT COUNT(*) FROM dead_letters d WHERE NOT " + RESOLVED + (saleId == null ? "" : " AND d.sale_id = ?");
        try (Connection connection = dataSource.getConnection();
             PreparedStatement statement = connection.prepareStatement(sql)) {
            if (saleId != null) {
                statement.setString(1, saleId);
            }
            try (ResultSet row = statement.executeQuery()) {
                row.next();
                return row.getLong(1);
            }
        }
    }

    /** The newest {@code limit} dead letters, resolved or not, of one sale or of all. */
    public List<DeadLetterView> deadLetters(String saleId, int limit) throws SQLException {
        String sql = "SELECT topic, kafka_partition, kafka_offset, sale_id, order_id, event_type, reason, record_key, record_value,"
                + " dead_lettered_at, " + RESOLVED
                + " FROM dead_letters d" + (saleId == null ? "" : " WHERE d.sale_id = ?")
                + " ORDER BY dead_lettered_at DESC, kafka_offset DESC LIMIT ?";
        try (Connection connection = dataSource.getConnection();
             PreparedStatement statement = connection.prepareStatement(sql)) {
            int next = 1;
            if (saleId != null) {
                statement.setString(next++, saleId);
            }
            statement.setInt(next, limit);
            List<DeadLetterView> letters = new ArrayList<>();
            try (ResultSet row = statement.executeQuery()) {
                while (row.next()) {
                    letters.add(new DeadLetterView(row.getString(1), row.getInt(2), row.getLong(3), row.getString(4),
                            row.getString(5), row.getString(6), row.getString(7), row.getString(8), row.getString(9),
                            utc(row.getObject(10, LocalDateTime.class)), row.getBoolean(11)));
                }
            }
            return letters;
        }
    }

    // DATETIME columns hold UTC.
    private static Instant utc(LocalDateTime time) {
        return time.toInstant(ZoneOffset.UTC);
    }
}
