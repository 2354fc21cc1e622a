package dev.flashsale.pipelines.ledger;

import java.sql.BatchUpdateException;
import java.sql.Connection;
import java.sql.DataTruncation;
import java.sql.PreparedStatement;
import java.sql.SQLDataException;
import java.sql.SQLException;
import java.sql.SQLIntegrityConstraintViolationException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.hazelcast.jet.pipeline.ServiceFactories;
import com.hazelcast.jet.pipeline.ServiceFactory;
import com.mysql.cj.jdbc.MysqlDataSource;

/**
 * Records sale events in MySQL with idempotent upserts, one transaction per batch, on a thread
 * of its own (JDBC blocks; Jet's threads must not).
 *
 * <p>Not XA: Jet turns autocommit off on an XA sink's connection and MariaDB then refuses
 * {@code XA COMMIT}, failing the job at its first hard restart. Writes keyed by what they
 * record (a reservation by its bucket, member and write count; an order by its id) that only
 * move a status forward, and counters raised only by rows newly inserted in the same
 * transaction, are exact under the at-least-once delivery a restarted job gives.
 *
 * <p>Two kinds of failure, two answers. MySQL refusing a row (a data or constraint error, SQL
 * states 22 and 23) is about that row: the batch is written again one row per transaction, and
 * each refused row becomes a dead letter, written in the transaction that follows. Rows reach
 * here checked against {@code Limits}, so a refusal means the schema or the session no longer
 * matches them: it is logged as an error, as well as dead-lettered. Anything else
 * (MySQL down, a lost connection, a lock timeout, a missing table or grant) is about MySQL, not
 * the row: the batch is retried with a growing pause until MySQL answers, and the heartbeats
 * stop arriving, which is how ops see it. A row is never dropped because MySQL was away.
 */
public final class MysqlLedger implements Ledger {

    private static final Logger LOG = LoggerFactory.getLogger(MysqlLedger.class);
    private static final long FIRST_PAUSE_MILLIS = 100;
    private static final long LONGEST_PAUSE_MILLIS = 5_000;
    /** MySQL error codes that refuse a value even where the driver gives no SQL state of class 22/23. */
    private static final Set<Integer> REFUSED_VALUE_CODES = Set.of(
            1048, // column cannot be null
            1264, // out of range value
            1265, // data truncated
            1292, // incorrect date/time value
            1366, // incorrect string value
            1406, // data too long
            1411, // incorrect value for a function
            3819, // check constraint violated (MySQL)
            4025); // check constraint violated (MariaDB)

    // A replayed reservation finds its row and counts nothing.
    private static final String RESERVATION_INSERT = """
            INSERT IGNORE INTO reservations (sale_id, bucket, slot, journal_seq, order_id, quantity, reserved_at, recorded_at)
            VALUES\s""";
    private static final String RESERVATION_VALUES = "(?, ?, ?, ?, ?, ?, ?, UTC_TIMESTAMP(3))";

    // The first reservation of an order makes its row; a later one (a duplicate, a replay)
    // changes nothing. RESERVED is overtaken by any final state; a final state is never replaced.
    private static final String ORDER_UPSERT = """
            INSERT INTO orders (order_id, sale_id, shopper_id, quantity, unit_price, status, bucket,
                                reserved_at, expires_at, slot, journal_seq, recorded_at, updated_at)
            VALUES\s""";
    private static final String ORDER_VALUES = "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, UTC_TIMESTAMP(3), UTC_TIMESTAMP(3))";
    private static final String ORDER_UPDATE = """
             ON DUPLICATE KEY UPDATE
                updated_at = IF(status = 'RESERVED' AND VALUES(status) <> 'RESERVED', UTC_TIMESTAMP(3), updated_at),
                status     = IF(status = 'RESERVED' AND VALUES(status) <> 'RESERVED', VALUES(status), status)
            """;

    // Right after a bucket's reservation insert: ROW_COUNT() is how many of them were new.
    private static final String PROGRESS_UPSERT = """
            INSERT INTO bucket_progress (sale_id, bucket, reservations, read_up_to, duplicate_units, updated_at)
            VALUES (?, ?, ROW_COUNT(), ?, 0, UTC_TIMESTAMP(3))
            ON DUPLICATE KEY UPDATE
                reservations = reservations + VALUES(reservations),
                read_up_to = GREATEST(read_up_to, VALUES(read_up_to)),
                updated_at = UTC_TIMESTAMP(3)
            """;

    // Rare (a processor Hazelcast ran twice): counted again from the rows, so it stays exact.
    private static final String DUPLICATES_RECOUNT = """
            UPDATE bucket_progress p SET duplicate_units = (
                SELECT COALESCE(SUM(r.quantity), 0) FROM reservations r JOIN orders o ON o.order_id = r.order_id
                WHERE r.sale_id = p.sale_id AND r.bucket = p.bucket AND (r.slot <> o.slot OR r.journal_seq <> o.journal_seq))
            WHERE p.sale_id = ? AND p.bucket = ?
            """;

    // An order leaves RESERVED once: only then does the next statement (ROW_COUNT() = 1) release
    // its units on the bucket. A replayed or repeated end finds the status moved and changes
    // nothing; the order's reservation is always there before it (same bucket journal, same
    // Kafka partition, in order). An end that does not match its order's row (another sale,
    // bucket or quantity: a record of another producer) changes nothing, and releases nothing.
    // %s is the column of the state's time.
    private static final String ORDER_END = """
            UPDATE orders SET status = ?, %s = ?, payment_id = ?, updated_at = UTC_TIMESTAMP(3)
            WHERE order_id = ? AND status = 'RESERVED' AND sale_id = ? AND bucket = ? AND quantity = ?;
            INSERT INTO bucket_progress (sale_id, bucket, reservations, read_up_to, duplicate_units, released_units, updated_at)
            VALUES (?, ?, 0, ?, 0, IF(ROW_COUNT() > 0, ?, 0), UTC_TIMESTAMP(3))
            ON DUPLICATE KEY UPDATE
                released_units = released_units + VALUES(released_units),
                read_up_to = GREATEST(read_up_to, VALUES(read_up_to)),
                updated_at = UTC_TIMESTAMP(3);
            """;

    // A total that only grows: a replayed or late report changes nothing.
    private static final String RETURNED_UPSERT = """
            INSERT INTO bucket_progress (sale_id, bucket, reservations, read_up_to, duplicate_units, returned_units, updated_at)
            VALUES (?, ?, 0, ?, 0, ?, UTC_TIMESTAMP(3))
            ON DUPLICATE KEY UPDATE
                returned_units = GREATEST(returned_units, VALUES(returned_units)),
                read_up_to = GREATEST(read_up_to, VALUES(read_up_to)),
                updated_at = UTC_TIMESTAMP(3)
            """;

    // MySQL's sales rows are ops' (the admin API and their own SQL write them, and change data
    // capture carries them to the grid): a sale.scheduled event only fills in a row MySQL lacks
    // and never changes one, or the grid's echo of a change would change the row again. (Not
    // INSERT IGNORE: that would also turn a value MySQL refuses into a cut one, silently.)
    private static final String SALE_UPSERT = """
            INSERT INTO sales (sale_id, name, price, stock, starts_at, ends_at, per_shopper_limit,
                               payment_window_seconds, buckets, scheduled_at, updated_at)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, UTC_TIMESTAMP(3))
            ON DUPLICATE KEY UPDATE sale_id = sale_id
            """;

    // A beat is never later than MySQL's own clock: a beat from the future (a record of another
    // producer, a clock that jumped) would otherwise pin its partition's lag at zero for good.
    private static final String HEARTBEAT_UPSERT = """
            INSERT INTO event_path_heartbeats (kafka_partition, beat_at, recorded_at)
            VALUES (?, LEAST(?, UTC_TIMESTAMP(3)), UTC_TIMESTAMP(3))
            ON DUPLICATE KEY UPDATE
                recorded_at = IF(VALUES(beat_at) > beat_at, UTC_TIMESTAMP(3), recorded_at),
                beat_at = GREATEST(beat_at, VALUES(beat_at))
            """;

    // Keyed by where the record sits in Kafka: a replayed record finds its dead letter.
    private static final String DEAD_LETTER_INSERT = """
            INSERT INTO dead_letters (topic, kafka_partition, kafka_offset, sale_id, order_id, event_type, event_at,
                                      reason, record_key, record_value, dead_lettered_at)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, UTC_TIMESTAMP(3))
            ON DUPLICATE KEY UPDATE kafka_offset = kafka_offset
            """;

    private final MysqlDataSource dataSource;
    private final ExecutorService writer;
    // Used by the writer thread; closed by close() once the writer stopped, or to unblock it.
    private volatile Connection connection;

    public MysqlLedger(String url, String user, String password) {
        this.dataSource = new MysqlDataSource();
        dataSource.setUrl(url);
        dataSource.setUser(user);
        dataSource.setPassword(password);
        try {
            // One multi-row upsert per batch instead of one statement per row.
            dataSource.setRewriteBatchedStatements(true);
            // Counts rows inserted, not rows found: a reservation counts only when it is new.
            dataSource.setUseAffectedRows(true);
            // A batch's reservations and orders go in one round trip (all values bound).
            dataSource.setAllowMultiQueries(true);
            // A MySQL that stops answering must not hold the batch forever: fail, reconnect, retry.
            dataSource.setConnectTimeout(10_000);
            dataSource.setSocketTimeout(60_000);
            // The session Limits were checked against, whatever the URL or the server default
            // say: utf8mb4 for every character a token subject may hold, and strict mode, in
            // which a value that does not fit is refused rather than silently cut.
            dataSource.setCharacterEncoding("UTF-8");
            dataSource.setConnectionCollation("utf8mb4_unicode_ci");
            dataSource.setSessionVariables("sql_mode='STRICT_ALL_TABLES,NO_ENGINE_SUBSTITUTION'");
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
        this.writer = Executors.newSingleThreadExecutor(task -> {
            Thread thread = new Thread(task, "mysql-ledger");
            thread.setDaemon(true);
            return thread;
        });
    }

    /** One ledger per processor of the writing stage, each with its own connection and thread. */
    public static ServiceFactory<?, Ledger> factory(String url, String user, String password) {
        return ServiceFactories.nonSharedService(context -> new MysqlLedger(url, user, password), Ledger::close);
    }

    @Override
    public CompletableFuture<List<DeadLetter>> write(List<LedgerEntry> entries) {
        List<LedgerEntry> batch = List.copyOf(entries);
        return CompletableFuture.supplyAsync(() -> writeUntilAnswered(batch), writer);
    }

    @Override
    public void close() {
        writer.shutdownNow();
        try {
            writer.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        disconnect();
    }

    private List<DeadLetter> writeUntilAnswered(List<LedgerEntry> batch) {
        long pause = FIRST_PAUSE_MILLIS;
        for (int attempt = 1; ; attempt++) {
            try {
                return writeOnce(batch);
            } catch (SQLException e) {
                if (attempt == 1 || attempt % 20 == 0) {
                    LOG.warn("MySQL did not take a batch of {} (attempt {}), retrying: {}", batch.size(), attempt, e.toString());
                }
                disconnect();
                try {
                    Thread.sleep(pause);
                } catch (InterruptedException stopped) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("the ledger was closed while MySQL was unavailable", stopped);
                }
                pause = Math.min(2 * pause, LONGEST_PAUSE_MILLIS);
            }
        }
    }

    /** Writes the batch, or, if MySQL refused a row of it, each row alone. Throws only when MySQL failed. */
    private List<DeadLetter> writeOnce(List<LedgerEntry> batch) throws SQLException {
        Connection connection = connection();
        try {
            writeInOneTransaction(connection, batch);
            List<DeadLetter> result = new ArrayList<>(batch.size());
            batch.forEach(entry -> result.add(entry instanceof DeadLetter letter ? letter : null));
            return result;
        } catch (SQLException e) {
            rollback(connection);
            if (!isRefusal(e)) {
                throw e;
            }
        }
        List<DeadLetter> result = new ArrayList<>(batch.size());
        for (LedgerEntry entry : batch) {
            result.add(writeAlone(connection, entry));
        }
        return result;
    }

    private DeadLetter writeAlone(Connection connection, LedgerEntry entry) throws SQLException {
        try {
            writeInOneTransaction(connection, List.of(entry));
            return entry instanceof DeadLetter letter ? letter : null;
        } catch (SQLException e) {
            rollback(connection);
            if (!isRefusal(e)) {
                throw e;
            }
            if (entry instanceof DeadLetter letter) {
                // Cannot happen by construction (DeadLetter cuts every field to the table); if it
                // does, the dead-letter topic still has it.
                LOG.error("MySQL refused the dead letter of {}: {}", letter.source(), e.toString());
                return letter;
            }
            DeadLetter letter = DeadLetter.refused(entry, e.getMessage());
            LOG.error("MySQL refused a row that fits its columns (has the schema or the session changed?): {} at {}-{}@{}",
                    letter.reason(), entry.source().topic(), entry.source().partition(), entry.source().offset());
            writeAlone(connection, letter);
            return letter;
        }
    }

    private static void writeInOneTransaction(Connection connection, List<LedgerEntry> entries) throws SQLException {
        connection.setAutoCommit(false);
        try (PreparedStatement sales = connection.prepareStatement(SALE_UPSERT);
             PreparedStatement heartbeats = connection.prepareStatement(HEARTBEAT_UPSERT);
             PreparedStatement deadLetters = connection.prepareStatement(DEAD_LETTER_INSERT);
             PreparedStatement returns = connection.prepareStatement(RETURNED_UPSERT)) {
            List<OrderRow> orders = new ArrayList<>();
            List<OrderEndRow> ends = new ArrayList<>();
            int[] counts = new int[4];
            for (LedgerEntry entry : entries) {
                try {
                    if (entry instanceof OrderRow order) {
                        orders.add(order);
                    } else if (entry instanceof OrderEndRow end) {
                        ends.add(end);
                    } else {
                        counts[add(entry, sales, heartbeats, deadLetters, returns)]++;
                    }
                } catch (RuntimeException e) {
                    // A value the driver cannot convert is the row's fault, like one MySQL refuses.
                    throw new SQLDataException("the driver cannot send the row: " + e.getMessage(), "22000", e);
                }
            }
            if (!orders.isEmpty()) {
                writeOrders(connection, orders);
            }
            if (!ends.isEmpty()) {
                writeEnds(connection, ends);
            }
            PreparedStatement[] statements = {sales, heartbeats, deadLetters, returns};
            for (int i = 0; i < statements.length; i++) {
                if (counts[i] > 0) {
                    statements[i].executeBatch();
                }
            }
        }
        connection.commit();
    }

    /**
     * Records reservations, the orders they make, and each bucket's progress, exactly once
     * whatever is replayed: a reservation row is inserted at most once, and only a newly
     * inserted one counts. More new reservations than new orders means a duplicate arrived,
     * and the bucket's duplicate units are counted again.
     */
    private static void writeOrders(Connection connection, List<OrderRow> orders) throws SQLException {
        Map<BucketOf, List<OrderRow>> byBucket = new LinkedHashMap<>();
        orders.forEach(order -> byBucket.computeIfAbsent(new BucketOf(order.saleId(), order.bucket()), key -> new ArrayList<>()).add(order));
        // One round trip: for each bucket, the insert of its reservations (which answers how
        // many were new) and its progress, counted from that; then the orders' upsert (how many
        // orders were new).
        StringBuilder sql = new StringBuilder();
        for (List<OrderRow> bucket : byBucket.values()) {
            sql.append(RESERVATION_INSERT).append(String.join(", ", Collections.nCopies(bucket.size(), RESERVATION_VALUES)))
                    .append(";\n").append(PROGRESS_UPSERT).append(";\n");
        }
        sql.append(ORDER_UPSERT).append(String.join(", ", Collections.nCopies(orders.size(), ORDER_VALUES))).append(ORDER_UPDATE);
        long newReservations = 0;
        long newOrders;
        try (PreparedStatement statement = connection.prepareStatement(sql.toString())) {
            int at = 1;
            for (Map.Entry<BucketOf, List<OrderRow>> bucket : byBucket.entrySet()) {
                for (OrderRow order : bucket.getValue()) {
                    at = bindReservation(statement, at, order);
                }
                statement.setString(at++, bucket.getKey().saleId());
                statement.setInt(at++, bucket.getKey().bucket());
                statement.setLong(at++, bucket.getValue().stream().mapToLong(OrderRow::journalSeq).max().orElse(0));
            }
            for (OrderRow order : orders) {
                at = bindOrder(statement, at, order);
            }
            statement.execute();
            for (int i = 0; i < byBucket.size(); i++) {
                newReservations += statement.getUpdateCount();
                statement.getMoreResults();
                statement.getMoreResults();
            }
            newOrders = statement.getUpdateCount();
        }
        if (newReservations > newOrders) {
            try (PreparedStatement recount = connection.prepareStatement(DUPLICATES_RECOUNT)) {
                for (BucketOf bucket : byBucket.keySet()) {
                    recount.setString(1, bucket.saleId());
                    recount.setInt(2, bucket.bucket());
                    recount.addBatch();
                }
                recount.executeBatch();
            }
        }
    }

    /** Moves each order out of RESERVED, releasing its units on its bucket if it gave them back: one round trip. */
    private static void writeEnds(Connection connection, List<OrderEndRow> ends) throws SQLException {
        StringBuilder sql = new StringBuilder();
        for (OrderEndRow end : ends) {
            sql.append(ORDER_END.formatted(switch (end.status()) {
                case "PAID" -> "paid_at";
                case "CANCELLED" -> "cancelled_at";
                case "EXPIRED" -> "expired_at";
                default -> throw new IllegalArgumentException("not a final state: " + end.status());
            }));
        }
        try (PreparedStatement statement = connection.prepareStatement(sql.toString())) {
            int at = 1;
            for (OrderEndRow end : ends) {
                statement.setString(at++, end.status());
                statement.setObject(at++, utc(end.endedAt()));
                statement.setString(at++, end.paymentId());
                statement.setString(at++, end.orderId());
                statement.setString(at++, end.saleId());
                statement.setInt(at++, end.bucket());
                statement.setInt(at++, end.quantity());
                statement.setString(at++, end.saleId());
                statement.setInt(at++, end.bucket());
                statement.setLong(at++, end.journalSeq());
                statement.setInt(at++, end.givesUnitsBack() ? end.quantity() : 0);
            }
            statement.execute();
        }
    }

    private static int bindReservation(PreparedStatement statement, int first, OrderRow order) throws SQLException {
        int at = first;
        statement.setString(at++, order.saleId());
        statement.setInt(at++, order.bucket());
        statement.setString(at++, order.slot());
        statement.setLong(at++, order.journalSeq());
        statement.setString(at++, order.orderId());
        statement.setInt(at++, order.quantity());
        statement.setObject(at++, utc(order.reservedAt()));
        return at;
    }

    /** Adds the entry to its statement's batch; answers which statement. */
    private static int add(LedgerEntry entry, PreparedStatement sales, PreparedStatement heartbeats,
                           PreparedStatement deadLetters, PreparedStatement returns) throws SQLException {
        if (entry instanceof ReturnedRow returned) {
            returns.setString(1, returned.saleId());
            returns.setInt(2, returned.bucket());
            returns.setLong(3, returned.journalSeq());
            returns.setInt(4, returned.returnedUnits());
            returns.addBatch();
            return 3;
        }
        if (entry instanceof SaleRow sale) {
            bindSale(sales, sale);
            sales.addBatch();
            return 0;
        }
        if (entry instanceof HeartbeatRow beat) {
            heartbeats.setInt(1, beat.partition());
            heartbeats.setObject(2, utc(beat.beatAt()));
            heartbeats.addBatch();
            return 1;
        }
        bindDeadLetter(deadLetters, (DeadLetter) entry);
        deadLetters.addBatch();
        return 2;
    }

    private static int bindOrder(PreparedStatement statement, int first, OrderRow order) throws SQLException {
        int at = first;
        statement.setString(at++, order.orderId());
        statement.setString(at++, order.saleId());
        statement.setString(at++, order.shopperId());
        statement.setInt(at++, order.quantity());
        statement.setBigDecimal(at++, order.unitPrice());
        statement.setString(at++, order.status());
        statement.setInt(at++, order.bucket());
        statement.setObject(at++, utc(order.reservedAt()));
        statement.setObject(at++, utc(order.expiresAt()));
        statement.setString(at++, order.slot());
        statement.setLong(at++, order.journalSeq());
        return at;
    }

    private record BucketOf(String saleId, int bucket) {
    }

    private static void bindSale(PreparedStatement statement, SaleRow sale) throws SQLException {
        statement.setString(1, sale.saleId());
        statement.setString(2, sale.name());
        statement.setBigDecimal(3, sale.price());
        statement.setInt(4, sale.stock());
        statement.setObject(5, utc(sale.startsAt()));
        statement.setObject(6, utc(sale.endsAt()));
        statement.setInt(7, sale.perShopperLimit());
        statement.setInt(8, sale.paymentWindowSeconds());
        statement.setInt(9, sale.buckets());
        statement.setObject(10, utc(sale.scheduledAt()));
    }

    private static void bindDeadLetter(PreparedStatement statement, DeadLetter letter) throws SQLException {
        statement.setString(1, letter.source().topic());
        statement.setInt(2, letter.source().partition());
        statement.setLong(3, letter.source().offset());
        statement.setString(4, letter.saleId());
        statement.setString(5, letter.orderId());
        statement.setString(6, letter.eventType());
        statement.setObject(7, letter.eventAt() == null ? null : utc(letter.eventAt()));
        statement.setString(8, letter.reason());
        statement.setString(9, letter.source().key());
        statement.setString(10, letter.source().value());
    }

    /** Whether MySQL refused a value of the rows (the rows' fault), rather than failed (MySQL's). */
    static boolean isRefusal(SQLException failure) {
        for (Throwable cause = failure; cause != null; cause = next(cause)) {
            if (cause instanceof SQLDataException || cause instanceof SQLIntegrityConstraintViolationException
                    || cause instanceof DataTruncation) {
                return true;
            }
            if (cause instanceof SQLException sql) {
                String state = sql.getSQLState();
                if (state != null && (state.startsWith("22") || state.startsWith("23"))) {
                    return true;
                }
                if (REFUSED_VALUE_CODES.contains(sql.getErrorCode())) {
                    return true;
                }
            }
        }
        return false;
    }

    private static Throwable next(Throwable failure) {
        if (failure instanceof BatchUpdateException batch && batch.getNextException() != null && batch.getNextException() != batch) {
            return batch.getNextException();
        }
        return failure.getCause() == failure ? null : failure.getCause();
    }

    // DATETIME columns hold UTC; a LocalDateTime is sent as is, whatever the session's time zone.
    private static LocalDateTime utc(Instant instant) {
        return LocalDateTime.ofInstant(instant, ZoneOffset.UTC);
    }

    private Connection connection() throws SQLException {
        if (connection == null) {
            connection = dataSource.getConnection();
        }
        return connection;
    }

    private static void rollback(Connection connection) {
        try {
            connection.rollback();
        } catch (SQLException e) {
            // the connection is broken; the next attempt reconnects
        }
    }

    private void disconnect() {
        if (connection != null) {
            try {
                connection.close();
            } catch (SQLException e) {
                // already gone
            }
            connection = null;
        }
    }
}
