package dev.flashsale.pipelines;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.nio.file.Files;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.hazelcast.core.HazelcastInstance;
import com.zaxxer.hikari.HikariDataSource;

import dev.flashsale.api.purchase.OrderIds;
import dev.flashsale.api.sales.NewSale;
import dev.flashsale.api.sales.SaleCatalog;
import dev.flashsale.api.settlement.Settlement;
import dev.flashsale.api.settlement.SettlementLedger;
import dev.flashsale.embedded.MariaDbServer;
import dev.flashsale.grid.LocalCluster;
import dev.flashsale.grid.Maps;
import dev.flashsale.pipelines.ledger.MysqlLedger;
import dev.flashsale.pipelines.ledger.OrderRow;
import dev.flashsale.pipelines.ledger.SourceRecord;
import dev.flashsale.purchase.ClaimQuota;
import dev.flashsale.purchase.ConfirmPurchase;
import dev.flashsale.purchase.Purchase;
import dev.flashsale.purchase.Purchases;
import dev.flashsale.purchase.PurchaseStatus;
import dev.flashsale.purchase.QuotaClaim;
import dev.flashsale.purchase.ShopperKey;
import dev.flashsale.sale.Sale;
import dev.flashsale.stock.ReadStock;
import dev.flashsale.stock.ReserveStock;
import dev.flashsale.stock.Reserved;

/**
 * Settlement's rounds against a real grid member and a real MariaDB, with the rows written
 * straight into the ledger, so that the order in which reservations reach MySQL is the test's.
 */
class SettlementTest {

    private static final Instant START = Instant.parse("2026-12-03T10:00:00Z");

    private static LocalCluster cluster;
    private static MariaDbServer mysql;
    private static HikariDataSource reads;
    private static MysqlLedger ledger;
    private static long offset;

    @BeforeAll
    static void start() throws Exception {
        cluster = LocalCluster.start(1);
        mysql = MariaDbServer.start(Files.createTempDirectory("settlement-test"));
        mysql.createDatabase("flashsale");
        PipelineSettings settings = new PipelineSettings("127.0.0.1:1", 1, (short) 1, mysql.jdbcUrl("flashsale"), mysql.user(),
                mysql.password());
        Schema.migrate(settings);
        ledger = new MysqlLedger(settings.mysqlUrl(), settings.mysqlUser(), settings.mysqlPassword());
        reads = new HikariDataSource();
        reads.setJdbcUrl(settings.mysqlUrl());
        reads.setUsername(settings.mysqlUser());
        reads.setPassword(settings.mysqlPassword());
    }

    @AfterAll
    static void stop() {
        reads.close();
        ledger.close();
        mysql.close();
        cluster.close();
    }

    /**
     * A claim cut off after its unit was taken, a fence, then a later reservation of the same
     * bucket reaching MySQL first (they travel on different Kafka partitions): MySQL then holds
     * as many reservations as the fence counted, but not the cut-off one. Settlement must wait
     * for that one, not release the claim whose unit was taken.
     */
    @Test
    void aLaterReservationReachingMysqlFirstDoesNotSettleAFencedClaim() throws Exception {
        // given a sale of one bucket, and an attempt that took a unit and was cut off before it confirmed
        HazelcastInstance grid = cluster.member(0);
        Sale sale = new SaleCatalog(grid).create(new NewSale("prefix", "Prefix", BigDecimal.TEN, 10, START, START.plusSeconds(3600), 1,
                Duration.ofMinutes(15), 1), START);
        Attempt cutOff = Attempt.claim(grid, sale, "alice", START);
        Reserved taken = cutOff.reserve(grid);
        // and settlement, 13 s later, fenced the bucket while MySQL had nothing yet
        MutableClock clock = new MutableClock(START.plusSeconds(13));
        Settlement settlement = new Settlement(grid, new SettlementLedger(reads), clock);
        settlement.round();

        // when another shopper buys after the fence, and only that reservation reaches MySQL
        Attempt later = Attempt.claim(grid, sale, "bob", clock.instant());
        Reserved laterTaken = later.reserve(grid);
        Maps.purchases(grid).executeOnKey(later.shopper(), new ConfirmPurchase(later.orderId(), 1, 0, clock.millis(),
                clock.millis() + 900_000, null));
        record(sale, laterTaken);
        clock.advance(Duration.ofSeconds(1));
        settlement.round();

        // then the cut-off claim is still pending, awaiting its own reservation
        assertThat(cutOff.status(grid)).isEqualTo(PurchaseStatus.PENDING);

        // and once that reaches MySQL too, it becomes the shopper's reserved order
        record(sale, taken);
        clock.advance(Duration.ofSeconds(1));
        settlement.round();
        assertThat(cutOff.status(grid)).isEqualTo(PurchaseStatus.RESERVED);
    }

    /**
     * A bucket promoted without a reservation its first owner made, which MySQL holds, while its
     * new owner's newest reservation is not in MySQL yet: the totals agree (2 and 2), and only a
     * comparison member by member shows the bucket offering a unit that MySQL holds an order for.
     */
    @Test
    void aShortfallOfOneMemberHiddenInTheTotalsIsRaisedOnTheNextRecheck() throws Exception {
        // given a sale of one bucket of 10, and MySQL holding a reservation of a member that is gone,
        // which the bucket (a promoted backup) does not count
        HazelcastInstance grid = cluster.member(0);
        Sale sale = new SaleCatalog(grid).create(new NewSale("hidden", "Hidden", BigDecimal.TEN, 10, START, START.plusSeconds(3600),
                1, Duration.ofMinutes(15), 1), START);
        record(sale, new Reserved(OrderIds.of(sale.id(), "gone", "key-1"), "gone", 1, BigDecimal.TEN, START.toEpochMilli(),
                START.plusSeconds(900).toEpochMilli(), UUID.randomUUID().toString(), 2));
        // and the bucket's own two reservations since, of which MySQL has the first only
        record(sale, Attempt.claim(grid, sale, "carol", START).reserve(grid));
        Attempt.claim(grid, sale, "dave", START).reserve(grid);
        MutableClock clock = new MutableClock(START.plusSeconds(1));
        Settlement settlement = new Settlement(grid, new SettlementLedger(reads), clock);

        // when settlement reports MySQL's progress, the totals hide the shortfall
        settlement.round();
        assertThat(Maps.stock(grid).executeOnKey(sale.bucket(0), new ReadStock()).available()).isEqualTo(8);

        // then its next recheck (every 10 s, and whenever a member leaves or joins) finds it, and the
        // bucket counts the gone member's unit too
        settlement.recheck();
        settlement.round();
        assertThat(Maps.stock(grid).executeOnKey(sale.bucket(0), new ReadStock()).available()).isEqualTo(7);
    }

    /**
     * Reservations the grid counted that never reach MySQL, however they were lost (here: never
     * written), are an alarm once the event path has carried everything made before them.
     */
    @Test
    void reservationsTheGridCountedThatNeverReachMysqlAreAnAlarm() throws Exception {
        // given two sales of one bucket, each with two reservations: MySQL holds both of the
        // first sale's, and one of the second's
        HazelcastInstance grid = cluster.member(0);
        Instant at = START.plusSeconds(100);
        Sale whole = new SaleCatalog(grid).create(new NewSale("whole", "Whole", BigDecimal.TEN, 10, START, START.plusSeconds(3600), 1,
                Duration.ofMinutes(15), 1), START);
        Sale lossy = new SaleCatalog(grid).create(new NewSale("lossy", "Lossy", BigDecimal.TEN, 10, START, START.plusSeconds(3600), 1,
                Duration.ofMinutes(15), 1), START);
        record(whole, Attempt.claim(grid, whole, "erin", at).reserve(grid));
        record(whole, Attempt.claim(grid, whole, "frank", at).reserve(grid));
        record(lossy, Attempt.claim(grid, lossy, "grace", at).reserve(grid));
        Attempt.claim(grid, lossy, "heidi", at).reserve(grid);
        MutableClock clock = new MutableClock(at);
        Settlement settlement = new Settlement(grid, new SettlementLedger(reads), clock);
        Map<Integer, String> alarms = Maps.journalLosses(grid);
        alarms.clear();

        // when settlement rechecks the buckets, and again 20 s later, with the event path carrying
        settlement.recheck();
        settlement.round();
        beat(at.plusSeconds(1));
        clock.advance(Duration.ofSeconds(20));
        settlement.recheck();
        settlement.round();

        // then nothing is judged before 30 s have passed
        assertThat(alarms).isEmpty();

        // when 30 s have passed since the counts were taken, and the event path has carried a
        // heartbeat beaten after them, but MySQL holds no reservation of the second sale as new
        // as the newest counted (as while a new outbox job works through a backlog)
        clock.advance(Duration.ofSeconds(11));
        settlement.recheck();
        settlement.round();

        // then still nothing is judged
        assertThat(alarms).isEmpty();

        // when the sale goes on and a later reservation reaches MySQL, proof that the outbox has
        // read the bucket's journal past every reservation counted
        record(lossy, Attempt.claim(grid, lossy, "ivan", clock.instant()).reserve(grid));
        settlement.recheck();
        settlement.round();

        // then the second sale's missing reservation is an alarm on its bucket's partition, and the first sale is fine
        int lossyPartition = grid.getPartitionService().getPartition(lossy.bucket(0)).getPartitionId();
        assertThat(alarms.get(lossyPartition)).contains("sale lossy", "1 of member");
        assertThat(alarms.values()).noneMatch(alarm -> alarm.contains("sale whole"));
        alarms.clear();
    }

    /** A heartbeat beaten at {@code at} that reached MySQL through the (only) Kafka partition. */
    private static void beat(Instant at) throws Exception {
        try (var connection = reads.getConnection();
             var statement = connection.prepareStatement("""
                     INSERT INTO event_path_heartbeats (kafka_partition, beat_at, recorded_at) VALUES (0, ?, ?)
                     ON DUPLICATE KEY UPDATE beat_at = VALUES(beat_at), recorded_at = VALUES(recorded_at)""")) {
            statement.setObject(1, LocalDateTime.ofInstant(at, ZoneOffset.UTC));
            statement.setObject(2, LocalDateTime.ofInstant(at, ZoneOffset.UTC));
            statement.executeUpdate();
        }
    }

    private static void record(Sale sale, Reserved reserved) throws Exception {
        OrderRow row = new OrderRow(reserved.orderId(), sale.id(), reserved.shopperId(), reserved.quantity(), reserved.unitPrice(),
                "RESERVED", 0, Instant.ofEpochMilli(reserved.reservedAtMillis()), Instant.ofEpochMilli(reserved.expiresAtMillis()),
                reserved.slot(), reserved.journalSeq(), new SourceRecord("sale-events", 0, offset++, reserved.orderId(), "{}"));
        assertThat(ledger.write(List.of(row)).get(30, TimeUnit.SECONDS)).containsOnlyNulls();
    }

    /** An attempt to buy, made step by step as an API node makes it. */
    private record Attempt(Sale sale, ShopperKey shopper, String orderId, long at, long leaseEnd) {

        static Attempt claim(HazelcastInstance grid, Sale sale, String shopperId, Instant at) {
            String orderId = OrderIds.of(sale.id(), shopperId, "key-1");
            ShopperKey shopper = new ShopperKey(sale.id(), shopperId);
            QuotaClaim claim = Maps.purchases(grid).executeOnKey(shopper,
                    new ClaimQuota(orderId, "attempt-of-" + shopperId, 1, 1, at.toEpochMilli()));
            assertThat(claim.outcome()).isEqualTo(QuotaClaim.Outcome.CLAIMED);
            return new Attempt(sale, shopper, orderId, at.toEpochMilli(), claim.order().leaseUntilMillis());
        }

        Reserved reserve(HazelcastInstance grid) {
            ReserveStock reserve = new ReserveStock(orderId, shopper.shopperId(), 1, sale.price(), at, at + 900_000, leaseEnd);
            assertThat(Maps.stock(grid).executeOnKey(sale.bucket(0), reserve).won()).isTrue();
            return Maps.stock(grid).get(sale.bucket(0)).last();
        }

        /** The claim's status; null once released. */
        PurchaseStatus status(HazelcastInstance grid) {
            Purchases orders = Maps.purchases(grid).get(shopper);
            Purchase order = orders == null ? null : orders.find(orderId);
            return order == null ? null : order.status();
        }
    }

    /** A clock the test moves. */
    private static final class MutableClock extends Clock {
        private volatile Instant now;

        MutableClock(Instant now) {
            this.now = now;
        }

        void advance(Duration by) {
            now = now.plus(by);
        }

        @Override
        public Instant instant() {
            return now;
        }

        @Override
        public java.time.ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }
    }
}
