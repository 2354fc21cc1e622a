package dev.flashsale.pipelines.ledger;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.flashsale.embedded.MariaDbServer;
import dev.flashsale.pipelines.PipelineSettings;
import dev.flashsale.pipelines.Schema;
import dev.flashsale.sale.Limits;

/**
 * The ledger against a real MariaDB with the real schema: every bound of {@link Limits} is
 * stored, one step beyond each is refused by MySQL and becomes a dead letter while the rows
 * around it are written, replays change nothing, and a MySQL that is away is waited for.
 */
class MysqlLedgerTest {

    private static final Instant AT = Instant.parse("2026-12-02T10:00:00Z");
    private static final String SMILE = "\uD83D\uDE00"; // one character, four bytes in utf8mb4

    private static MariaDbServer mysql;
    private static PipelineSettings settings;
    private MysqlLedger ledger;
    private static long nextOffset; // offsets are unique on a partition, across the tests too

    @BeforeAll
    static void startMysql() throws IOException {
        mysql = MariaDbServer.start(Files.createTempDirectory("ledger-test"));
        mysql.createDatabase("flashsale");
        settings = new PipelineSettings("127.0.0.1:1", 1, (short) 1, mysql.jdbcUrl("flashsale"), mysql.user(), mysql.password());
        Schema.migrate(settings);
    }

    @AfterAll
    static void stopMysql() {
        mysql.close();
    }

    @BeforeEach
    void openLedger() {
        ledger = new MysqlLedger(settings.mysqlUrl(), settings.mysqlUser(), settings.mysqlPassword());
    }

    @AfterEach
    void closeLedger() {
        ledger.close();
    }

    @Test
    void rowsAtEveryLimitOfTheSchemaAreStoredAsSent() throws Exception {
        // given rows at the edge of every column
        OrderRow order = order(SMILE.repeat(Limits.SHOPPER_ID_LENGTH), Limits.MAX_PRICE, Limits.MAX_QUANTITY, Limits.LATEST_TIME);
        OrderRow earliest = new OrderRow(UUID.randomUUID().toString(), "s".repeat(Limits.SALE_ID_LENGTH), "a", 1, BigDecimal.ZERO,
                "RESERVED", Limits.MAX_BUCKETS - 1, Limits.EARLIEST_TIME, Limits.EARLIEST_TIME, UUID.randomUUID().toString(), Long.MAX_VALUE, source());
        SaleRow sale = sale("limits", SMILE.repeat(Limits.SALE_NAME_LENGTH), Limits.MAX_PRICE, Limits.LATEST_TIME, AT);

        // when they are written
        List<DeadLetter> letters = write(order, earliest, sale);

        // then MySQL holds each exactly as sent
        assertThat(letters).containsOnlyNulls();
        assertThat(text("SELECT shopper_id FROM orders WHERE order_id = ?", order.orderId())).isEqualTo(order.shopperId());
        assertThat(text("SELECT unit_price FROM orders WHERE order_id = ?", order.orderId())).isEqualTo("9999999999.99");
        assertThat(text("SELECT expires_at FROM orders WHERE order_id = ?", order.orderId())).startsWith("9999-12-31 23:59:59.999");
        assertThat(text("SELECT reserved_at FROM orders WHERE order_id = ?", earliest.orderId())).startsWith("1000-01-01 00:00:00");
        assertThat(text("SELECT name FROM sales WHERE sale_id = ?", "limits")).isEqualTo(sale.name());
    }

    @Test
    void oneStepBeyondALimitIsRefusedByMysqlAndBecomesADeadLetterWhileTheRowsAroundItAreWritten() throws Exception {
        // given a batch with rows that no edge check stopped, each one step beyond a column
        OrderRow before = order("alice", BigDecimal.TEN, 1, AT);
        OrderRow longShopper = order("s".repeat(Limits.SHOPPER_ID_LENGTH + 1), BigDecimal.TEN, 1, AT);
        OrderRow dearPrice = order("bob", Limits.MAX_PRICE.add(new BigDecimal("0.01")), 1, AT);
        OrderRow year10000 = order("carol", BigDecimal.TEN, 1, Instant.parse("+10000-01-01T00:00:00Z"));
        SaleRow longName = sale("long-name", "n".repeat(Limits.SALE_NAME_LENGTH + 1), BigDecimal.ONE, AT, AT);
        OrderRow after = order("dave", BigDecimal.TEN, 1, AT);

        // when the batch is written
        List<DeadLetter> letters = write(before, longShopper, dearPrice, year10000, longName, after);

        // then the good rows are there, and each refused one is a dead letter that names it
        assertThat(letters.get(0)).isNull();
        assertThat(letters.get(5)).isNull();
        for (int refused = 1; refused <= 4; refused++) {
            DeadLetter letter = letters.get(refused);
            assertThat(letter).as("row " + refused).isNotNull();
            assertThat(letter.reason()).startsWith("MySQL refused the row");
            assertThat(letter.source()).isEqualTo(new SourceRecord("sale-events", 0, nextOffset - 6 + refused, "k", "v"));
        }
        assertThat(letters.get(1).orderId()).isEqualTo(longShopper.orderId());
        assertThat(letters.get(4).saleId()).isEqualTo("long-name");
        assertThat(count("SELECT COUNT(*) FROM orders WHERE order_id IN (?, ?)", before.orderId(), after.orderId())).isEqualTo(2);
        assertThat(count("SELECT COUNT(*) FROM orders WHERE order_id IN (?, ?, ?)",
                longShopper.orderId(), dearPrice.orderId(), year10000.orderId())).isZero();
        assertThat(count("SELECT COUNT(*) FROM dead_letters WHERE order_id IN (?, ?, ?)",
                longShopper.orderId(), dearPrice.orderId(), year10000.orderId())).isEqualTo(3);
        assertThat(count("SELECT COUNT(*) FROM dead_letters WHERE sale_id = ?", "long-name")).isEqualTo(1);
    }

    @Test
    void aReplayedBatchChangesNothing() throws Exception {
        OrderRow order = order("erin", BigDecimal.ONE, 1, AT);
        DeadLetter letter = DeadLetter.of(source(), "not a sale event", null, null);
        write(order, letter);
        String recordedAt = text("SELECT recorded_at FROM orders WHERE order_id = ?", order.orderId());

        List<DeadLetter> again = ledger.write(List.of(order, letter)).get(30, TimeUnit.SECONDS);

        assertThat(again).containsExactly(null, letter);
        assertThat(count("SELECT COUNT(*) FROM orders WHERE order_id = ?", order.orderId())).isEqualTo(1);
        assertThat(text("SELECT recorded_at FROM orders WHERE order_id = ?", order.orderId())).isEqualTo(recordedAt);
        assertThat(count("SELECT COUNT(*) FROM dead_letters WHERE kafka_offset = ?", String.valueOf(letter.source().offset())))
                .isEqualTo(1);
    }

    @Test
    void eachReservationCountsOnceAndASecondOneOfAnOrderIsADuplicate() throws Exception {
        // given two reservations of one bucket: an order, and another order reserved twice
        // (a processor Hazelcast ran twice), in the same batch and then in the next
        OrderRow first = reservation("progress", 0, "member-a", 2, UUID.randomUUID().toString());
        String twiceRun = UUID.randomUUID().toString();
        OrderRow once = reservation("progress", 0, "member-a", 3, twiceRun);
        OrderRow again = reservation("progress", 0, "member-b", 4, twiceRun);
        OrderRow otherBucket = reservation("progress", 1, "member-a", 2, UUID.randomUUID().toString());

        // when the batches are written, and written again (a replay)
        write(first, once, otherBucket);
        write(again);
        write(first, once, otherBucket, again);

        // then MySQL counts 3 reservations of bucket 0, the newest write among them, and 1 duplicate unit; 3 orders
        assertThat(count("SELECT reservations FROM bucket_progress WHERE sale_id = ? AND bucket = 0", "progress")).isEqualTo(3);
        assertThat(count("SELECT read_up_to FROM bucket_progress WHERE sale_id = ? AND bucket = 0", "progress")).isEqualTo(4);
        assertThat(count("SELECT duplicate_units FROM bucket_progress WHERE sale_id = ? AND bucket = 0", "progress")).isEqualTo(1);
        assertThat(count("SELECT reservations FROM bucket_progress WHERE sale_id = ? AND bucket = 1", "progress")).isEqualTo(1);
        assertThat(count("SELECT COUNT(*) FROM orders WHERE sale_id = ?", "progress")).isEqualTo(3);
    }

    @Test
    void anOrderEndsOnceAndOnlyAnEndWithoutPaymentReleasesItsUnitsHoweverOftenItArrives() throws Exception {
        // given three reserved orders of one bucket, of 2 units each
        String cancelled = UUID.randomUUID().toString();
        String paid = UUID.randomUUID().toString();
        String expired = UUID.randomUUID().toString();
        write(reservation("ends", 0, "member-a", 2, cancelled, 2), reservation("ends", 0, "member-a", 3, paid, 2),
                reservation("ends", 0, "member-a", 4, expired, 2));

        // when each ends, the cancel in the batch of its reservation's replay, and every end arrives again
        OrderEndRow cancel = end(cancelled, "CANCELLED", null, 5);
        OrderEndRow pay = end(paid, "PAID", "pay-1", 6);
        OrderEndRow expire = end(expired, "EXPIRED", null, 7);
        write(reservation("ends", 0, "member-a", 2, cancelled, 2), cancel, pay);
        write(expire, cancel);
        write(pay, expire, cancel);
        // and an end that lost its race (another state came first) arrives too, and one that does
        // not match its order's row (a record of another producer: another bucket, more units)
        write(end(paid, "EXPIRED", null, 8));
        String foreign = UUID.randomUUID().toString();
        write(reservation("ends", 0, "member-a", 9, foreign, 2));
        write(new OrderEndRow(foreign, "ends", 3, "CANCELLED", 5, AT, null, 8, source()));

        // then each order is in its first final state with its time and payment, and the bucket
        // owes back the units of the two unpaid ones, once, and has read up to the newest event
        assertThat(text("SELECT CONCAT(status, ' ', cancelled_at) FROM orders WHERE order_id = ?", cancelled))
                .startsWith("CANCELLED 2026-12-02 10:00:05");
        assertThat(text("SELECT CONCAT(status, ' ', payment_id, ' ', paid_at) FROM orders WHERE order_id = ?", paid))
                .startsWith("PAID pay-1 2026-12-02 10:00:06");
        assertThat(text("SELECT CONCAT(status, ' ', expired_at) FROM orders WHERE order_id = ?", expired))
                .startsWith("EXPIRED 2026-12-02 10:00:07");
        assertThat(count("SELECT released_units FROM bucket_progress WHERE sale_id = ? AND bucket = 0", "ends")).isEqualTo(4);
        assertThat(count("SELECT read_up_to FROM bucket_progress WHERE sale_id = ? AND bucket = 0", "ends")).isEqualTo(9);
        assertThat(count("SELECT reservations FROM bucket_progress WHERE sale_id = ? AND bucket = 0", "ends")).isEqualTo(4);
        assertThat(text("SELECT status FROM orders WHERE order_id = ?", foreign)).isEqualTo("RESERVED");
        assertThat(count("SELECT COALESCE(SUM(released_units), 0) FROM bucket_progress WHERE sale_id = ? AND bucket = 3", "ends"))
                .isZero();
    }

    @Test
    void aBucketsReturnedUnitsAreItsLargestReport() throws Exception {
        write(new ReturnedRow("returns", 2, 3, 10, source()), new ReturnedRow("returns", 2, 1, 4, source()));
        write(new ReturnedRow("returns", 2, 2, 9, source()));

        assertThat(count("SELECT returned_units FROM bucket_progress WHERE sale_id = ? AND bucket = 2", "returns")).isEqualTo(3);
        assertThat(count("SELECT read_up_to FROM bucket_progress WHERE sale_id = ? AND bucket = 2", "returns")).isEqualTo(10);
    }

    @Test
    void aSaleEventFillsInAMissingRowButNeverChangesOpsRow() throws Exception {
        write(sale("versions", "as ops wrote it", BigDecimal.ONE, AT, AT.plusSeconds(2)));

        write(sale("versions", "the grid's echo", BigDecimal.ONE, AT, AT.plusSeconds(3)));

        assertThat(text("SELECT name FROM sales WHERE sale_id = ?", "versions")).isEqualTo("as ops wrote it");
        assertThat(text("SELECT version FROM sales WHERE sale_id = ?", "versions")).isEqualTo("1");
    }

    @Test
    void aPartitionKeepsItsNewestHeartbeat() throws Exception {
        write(new HeartbeatRow(7, AT.plusSeconds(5), source()), new HeartbeatRow(7, AT.plusSeconds(3), source()));

        assertThat(text("SELECT beat_at FROM event_path_heartbeats WHERE kafka_partition = ?", "7")).startsWith("2026-12-02 10:00:05");
    }

    @Test
    void aBatchWaitsForMysqlToComeBackAndIsThenWritten() throws Exception {
        // given MySQL is down
        OrderRow order = order("frank", BigDecimal.ONE, 1, AT);
        mysql.stop();
        CompletableFuture<List<DeadLetter>> written;
        try {
            // when a batch is written
            written = ledger.write(List.of(order));

            // then it is neither written nor dropped
            Thread.sleep(2_000);
            assertThat(written).isNotDone();
        } finally {
            mysql.restart();
        }

        // and it lands once MySQL is back
        assertThat(written.get(60, TimeUnit.SECONDS)).containsOnlyNulls();
        assertThat(count("SELECT COUNT(*) FROM orders WHERE order_id = ?", order.orderId())).isEqualTo(1);
    }

    private List<DeadLetter> write(LedgerEntry... entries) throws Exception {
        return ledger.write(List.of(entries)).get(30, TimeUnit.SECONDS);
    }

    private OrderRow order(String shopperId, BigDecimal unitPrice, int quantity, Instant expiresAt) {
        return new OrderRow(UUID.randomUUID().toString(), "sale-1", shopperId, quantity, unitPrice, "RESERVED", 0, AT, expiresAt, UUID.randomUUID().toString(), 1, source());
    }

    private OrderRow reservation(String saleId, int bucket, String slot, long journalSeq, String orderId) {
        return reservation(saleId, bucket, slot, journalSeq, orderId, 1);
    }

    private OrderRow reservation(String saleId, int bucket, String slot, long journalSeq, String orderId, int quantity) {
        return new OrderRow(orderId, saleId, "shopper-" + orderId, quantity, BigDecimal.ONE, "RESERVED", bucket, AT,
                AT.plusSeconds(900), slot, journalSeq, source());
    }

    /** The end of a 2-unit order of bucket 0 of sale "ends", journaled at write {@code journalSeq}, at that many seconds past AT. */
    private OrderEndRow end(String orderId, String status, String paymentId, long journalSeq) {
        return new OrderEndRow(orderId, "ends", 0, status, 2, AT.plusSeconds(journalSeq), paymentId, journalSeq, source());
    }

    private SaleRow sale(String saleId, String name, BigDecimal price, Instant endsAt, Instant scheduledAt) {
        return new SaleRow(saleId, name, price, 10, Limits.EARLIEST_TIME, endsAt, 1, 900, 1, scheduledAt, source());
    }

    private SourceRecord source() {
        return new SourceRecord("sale-events", 0, nextOffset++, "k", "v");
    }

    private static String text(String sql, String parameter) throws SQLException {
        List<String> values = query(sql, parameter);
        assertThat(values).hasSize(1);
        return values.get(0);
    }

    private static long count(String sql, String... parameters) throws SQLException {
        return Long.parseLong(Objects.requireNonNull(query(sql, parameters).get(0)));
    }

    private static List<String> query(String sql, String... parameters) throws SQLException {
        try (Connection connection = DriverManager.getConnection(settings.mysqlUrl(), settings.mysqlUser(), settings.mysqlPassword());
             PreparedStatement statement = connection.prepareStatement(sql)) {
            for (int i = 0; i < parameters.length; i++) {
                statement.setString(i + 1, parameters[i]);
            }
            List<String> values = new ArrayList<>();
            try (ResultSet row = statement.executeQuery()) {
                while (row.next()) {
                    values.add(row.getString(1));
                }
            }
            return values;
        }
    }
}
