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

    /** A record the orders job could not write, as the {@code dead_letters} table holds it. */
    public record DeadLetterView(String topic, int partition, long offset, String saleId, String orderId, String reason,
                                 String key, String value, Instant deadLetteredAt) {
    }

    private final DataSource dataSource;

    public EventPathLedger(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** The oldest of the newest beats per partition, and how many partitions have reported one; null when none has. */
    public Beats beats() throws SQLException {
        try (Connection connection = dataSource.getConnection();
             PreparedStatement statement = connection.prepareStatement("SELECT MIN(beat_at), COUNT(*) FROM event_path_heartbeats");
             ResultSet row = statement.executeQuery()) {
            row.next();
            LocalDateTime oldest = row.getObject(1, LocalDateTime.class);
            return new Beats(oldest == null ? null : utc(oldest), row.getInt(2));
        }
    }

    public record Beats(Instant oldestNewestBeat, int partitions) {
    }

    /** How many dead letters there are, of one sale or ({@code saleId} null) of all. */
    public long countDeadLetters(String saleId) throws SQLException {
        String sql = saleId == null ? "SELECT COUNT(*) FROM dead_letters" : "SELECT COUNT(*) FROM dead_letters WHERE sale_id = ?";
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

    /** The newest {@code limit} dead letters, of one sale or of all. */
    public List<DeadLetterView> deadLetters(String saleId, int limit) throws SQLException {
        String sql = "SELECT topic, kafka_partition, kafka_offset, sale_id, order_id, reason, record_key, record_value, dead_lettered_at"
                + " FROM dead_letters" + (saleId == null ? "" : " WHERE sale_id = ?")
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
                            row.getString(5), row.getString(6), row.getString(7), row.getString(8), utc(row.getObject(9, LocalDateTime.class))));
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
