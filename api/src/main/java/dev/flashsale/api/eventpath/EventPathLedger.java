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
     * {@code resolved}: its order has a row by now (ops republished a repaired event).
     */
    public record DeadLetterView(String topic, int partition, long offset, String saleId, String orderId, String reason,
                                 String key, String value, Instant deadLetteredAt, boolean resolved) {
    }

    // A dead letter of an order is resolved once the order has its row; any other stays open.
    private static final String RESOLVED = "(d.order_id IS NOT NULL AND EXISTS (SELECT 1 FROM orders o WHERE o.order_id = d.order_id))";

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
        String sql = "SELECT topic, kafka_partition, kafka_offset, sale_id, order_id, reason, record_key, record_value,"
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
                            row.getString(5), row.getString(6), row.getString(7), row.getString(8),
                            utc(row.getObject(9, LocalDateTime.class)), row.getBoolean(10)));
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
