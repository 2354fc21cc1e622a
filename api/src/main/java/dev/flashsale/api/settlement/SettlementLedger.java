package dev.flashsale.api.settlement;

import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import javax.sql.DataSource;

/** What MySQL has of the buckets and the orders, as settlement reads it. Blocking JDBC. */
public final class SettlementLedger {

    /**
     * What MySQL has of one bucket: its reservations, the newest of its events, and the units
     * it owes the sale back: those of its duplicate reservations and of its orders that ended
     * unpaid.
     */
    public record BucketProgress(String saleId, int bucket, long reservations, long readUpTo, long duplicateUnits,
                                 long releasedUnits) {

        /** Units the bucket must have given back in all. */
        public long unitsToGiveBack() {
            return duplicateUnits + releasedUnits;
        }
    }

    /** An order's whole row, as a rebuild after a full restart reads it. */
    public record OrderRow(String orderId, String shopperId, int quantity, String status, int bucket, Instant reservedAt,
                           Instant expiresAt, Instant endedAt, String paymentId, BigDecimal unitPrice) {
    }

    /** An order's row: the bucket of the reservation it kept, when its payment window ends, and its unit price. */
    public record RecordedOrder(String orderId, int bucket, Instant expiresAt, BigDecimal unitPrice) {
    }

    /** What MySQL has of one bucket's reservations made by one member (slot): how many, their units, the newest write count among them. */
    public record SlotCount(String slot, long reservations, long units, long newestWrite) {
    }

    private static final String SLOTS = """
            SELECT slot, COUNT(*), COALESCE(SUM(quantity), 0), MAX(journal_seq)
            FROM reservations WHERE sale_id = ? AND bucket = ? GROUP BY slot
            """;
    private static final String SLOTS_UP_TO = """
            SELECT slot, COUNT(*) FROM reservations WHERE sale_id = ? AND bucket = ? AND journal_seq <= ? GROUP BY slot
            """;
    private static final String PROGRESS = """
            SELECT sale_id, bucket, reservations, read_up_to, duplicate_units, released_units FROM bucket_progress
            """;
    private static final String PROGRESS_OF_SALE = PROGRESS + " WHERE sale_id = ?";
    private static final String ORDERS = "SELECT order_id, bucket, expires_at, unit_price FROM orders WHERE order_id IN ";
    private static final String ENDED = "SELECT order_id FROM orders WHERE status <> 'RESERVED' AND order_id IN ";
    private static final String ORDERS_OF_SALE = """
            SELECT order_id, shopper_id, quantity, status, bucket, reserved_at, expires_at,
                   COALESCE(paid_at, cancelled_at, expired_at), payment_id, unit_price
            FROM orders WHERE sale_id = ?
            """;
    private static final String NOW = "SELECT UTC_TIMESTAMP(3)";
    private static final String PATH_CARRIED = "SELECT MIN(beat_at) FROM event_path_heartbeats";

    private final DataSource dataSource;

    public SettlementLedger(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    public List<BucketProgress> progress() throws SQLException {
        try (Connection connection = dataSource.getConnection();
             PreparedStatement statement = connection.prepareStatement(PROGRESS)) {
            return progress(statement);
        }
    }

    /** Bucket to what MySQL has of it, for one sale; a bucket with no reservation in MySQL is absent. */
    public Map<Integer, BucketProgress> progressOf(String saleId) throws SQLException {
        try (Connection connection = dataSource.getConnection();
             PreparedStatement statement = connection.prepareStatement(PROGRESS_OF_SALE)) {
            statement.setString(1, saleId);
            Map<Integer, BucketProgress> byBucket = new HashMap<>();
            progress(statement).forEach(bucket -> byBucket.put(bucket.bucket(), bucket));
            return byBucket;
        }
    }

    /** Per member (slot), the reservations of one bucket MySQL holds and their units. */
    public List<SlotCount> slotsOf(String saleId, int bucket) throws SQLException {
        try (Connection connection = dataSource.getConnection();
             PreparedStatement statement = connection.prepareStatement(SLOTS)) {
            statement.setString(1, saleId);
            statement.setInt(2, bucket);
            List<SlotCount> slots = new ArrayList<>();
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    slots.add(new SlotCount(rows.getString(1), rows.getLong(2), rows.getLong(3), rows.getLong(4)));
                }
            }
            return slots;
        }
    }

    /** Per member (slot), how many of one bucket's reservations written at or before write {@code writes} MySQL holds. */
    public Map<String, Long> reservationsUpTo(String saleId, int bucket, long writes) throws SQLException {
        try (Connection connection = dataSource.getConnection();
             PreparedStatement statement = connection.prepareStatement(SLOTS_UP_TO)) {
            statement.setString(1, saleId);
            statement.setInt(2, bucket);
            statement.setLong(3, writes);
            Map<String, Long> held = new HashMap<>();
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    held.put(rows.getString(1), rows.getLong(2));
                }
            }
            return held;
        }
    }

    /**
     * The oldest of the newest heartbeats MySQL has from each Kafka partition: the event path
     * has carried everything the outbox published before it. Null before any heartbeat.
     */
    public Instant pathCarried() throws SQLException {
        try (Connection connection = dataSource.getConnection();
             PreparedStatement statement = connection.prepareStatement(PATH_CARRIED);
             ResultSet rows = statement.executeQuery()) {
            LocalDateTime oldest = rows.next() ? rows.getObject(1, LocalDateTime.class) : null;
            return oldest == null ? null : oldest.toInstant(ZoneOffset.UTC);
        }
    }

    /** The rows of those of {@code orderIds} that MySQL has, by order id. */
    public Map<String, RecordedOrder> orders(Collection<String> orderIds) throws SQLException {
        if (orderIds.isEmpty()) {
            return Map.of();
        }
        try (Connection connection = dataSource.getConnection();
             PreparedStatement statement = connection.prepareStatement(
                     inList(ORDERS, orderIds.size()))) {
            int at = 1;
            for (String orderId : orderIds) {
                statement.setString(at++, orderId);
            }
            Map<String, RecordedOrder> found = new HashMap<>();
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    found.put(rows.getString(1), new RecordedOrder(rows.getString(1), rows.getInt(2),
                            rows.getObject(3, LocalDateTime.class).toInstant(ZoneOffset.UTC), rows.getBigDecimal(4)));
                }
            }
            return found;
        }
    }

    /** Those of {@code orderIds} whose row MySQL shows in a final state (paid, cancelled or expired). */
    public Set<String> ended(Collection<String> orderIds) throws SQLException {
        if (orderIds.isEmpty()) {
            return Set.of();
        }
        try (Connection connection = dataSource.getConnection();
             PreparedStatement statement = connection.prepareStatement(inList(ENDED, orderIds.size()))) {
            int at = 1;
            for (String orderId : orderIds) {
                statement.setString(at++, orderId);
            }
            Set<String> ended = new HashSet<>();
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    ended.add(rows.getString(1));
                }
            }
            return ended;
        }
    }

    /** MySQL's own clock, UTC. */
    public Instant now() throws SQLException {
        try (Connection connection = dataSource.getConnection();
             PreparedStatement statement = connection.prepareStatement(NOW);
             ResultSet rows = statement.executeQuery()) {
            rows.next();
            return rows.getObject(1, LocalDateTime.class).toInstant(ZoneOffset.UTC);
        }
    }

    /** Every order row of a sale. */
    public List<OrderRow> ordersOf(String saleId) throws SQLException {
        try (Connection connection = dataSource.getConnection();
             PreparedStatement statement = connection.prepareStatement(ORDERS_OF_SALE)) {
            statement.setString(1, saleId);
            List<OrderRow> orders = new ArrayList<>();
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    LocalDateTime ended = rows.getObject(8, LocalDateTime.class);
                    orders.add(new OrderRow(rows.getString(1), rows.getString(2), rows.getInt(3), rows.getString(4), rows.getInt(5),
                            rows.getObject(6, LocalDateTime.class).toInstant(ZoneOffset.UTC),
                            rows.getObject(7, LocalDateTime.class).toInstant(ZoneOffset.UTC),
                            ended == null ? null : ended.toInstant(ZoneOffset.UTC), rows.getString(9), rows.getBigDecimal(10)));
                }
            }
            return orders;
        }
    }

    private static String inList(String query, int size) {
        return query + "(" + String.join(", ", Collections.nCopies(size, "?")) + ")";
    }

    private static List<BucketProgress> progress(PreparedStatement statement) throws SQLException {
        List<BucketProgress> buckets = new ArrayList<>();
        try (ResultSet rows = statement.executeQuery()) {
            while (rows.next()) {
                buckets.add(new BucketProgress(rows.getString(1), rows.getInt(2), rows.getLong(3), rows.getLong(4), rows.getLong(5),
                        rows.getLong(6)));
            }
        }
        return buckets;
    }
}
