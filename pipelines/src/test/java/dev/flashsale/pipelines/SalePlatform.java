package dev.flashsale.pipelines;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewPartitions;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

import com.hazelcast.jet.Job;

import dev.flashsale.api.ApiNode;
import dev.flashsale.embedded.KafkaBroker;
import dev.flashsale.embedded.MariaDbServer;
import dev.flashsale.grid.LocalCluster;

/**
 * The whole platform for end-to-end tests: a real Kafka broker, a real MariaDB server, a grid
 * of real members, an API node, the schema migrated and both jobs running.
 */
final class SalePlatform implements AutoCloseable {

    static final int TOPIC_PARTITIONS = 4;

    final KafkaBroker kafka;
    final MariaDbServer mysql;
    final PipelineSettings settings;
    private final Map<String, String> apiEnv;
    LocalCluster cluster;
    ApiNode api;

    private SalePlatform(KafkaBroker kafka, MariaDbServer mysql, LocalCluster cluster, ApiNode api, PipelineSettings settings,
                         Map<String, String> apiEnv) {
        this.kafka = kafka;
        this.mysql = mysql;
        this.cluster = cluster;
        this.api = api;
        this.settings = settings;
        this.apiEnv = apiEnv;
    }

    /**
     * Stops the whole grid and its API node, as ops would (or as a power cut would: every member
     * is terminated, nothing is migrated), and starts a new one of {@code members} members with a
     * new API node and the jobs submitted again, over the same Kafka and MySQL.
     */
    void restartWholeGrid(int members) {
        api.close();
        cluster.close();
        cluster = LocalCluster.startWithPacketFilters(members);
        api = ApiNode.on(cluster, apiEnv);
        SaleJobs.submit(api.client(), settings);
    }

    static SalePlatform start(int members) {
        try {
            Path dir = Files.createTempDirectory("flashsale-e2e");
            KafkaBroker kafka = KafkaBroker.start(dir.resolve("kafka"));
            MariaDbServer mysql = MariaDbServer.start(dir.resolve("mysql"));
            mysql.createDatabase("flashsale");
            PipelineSettings settings = new PipelineSettings(kafka.bootstrapServers(), TOPIC_PARTITIONS, (short) 1,
                    mysql.jdbcUrl("flashsale"), mysql.user(), mysql.password());
            Schema.migrate(settings);
            LocalCluster cluster = LocalCluster.startWithPacketFilters(members);
            Map<String, String> env = new HashMap<>();
            env.put("FLASHSALE_MYSQL_URL", settings.mysqlUrl());
            env.put("FLASHSALE_MYSQL_USER", settings.mysqlUser());
            env.put("FLASHSALE_MYSQL_PASSWORD", settings.mysqlPassword());
            ApiNode api = ApiNode.on(cluster, env);
            SaleJobs.submit(api.client(), settings);
            return new SalePlatform(kafka, mysql, cluster, api, settings, env);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    Job job(String name) {
        return api.client().getJet().getJob(name);
    }

    /** The order ids of a sale's rows in MySQL (the primary key: one row per id). */
    Set<String> orderRows(String saleId) {
        Set<String> rows = new HashSet<>();
        query("SELECT order_id FROM orders WHERE sale_id = ?", saleId, row -> rows.add(row.getString(1)));
        return rows;
    }

    /** How many order rows each shopper of a sale has: with a limit of 1, a second is a duplicate order. */
    Map<String, Integer> ordersPerShopper(String saleId) {
        Map<String, Integer> rows = new HashMap<>();
        query("SELECT shopper_id, COUNT(*) FROM orders WHERE sale_id = ? GROUP BY shopper_id", saleId,
                row -> rows.put(row.getString(1), row.getInt(2)));
        return rows;
    }

    /** The dead letters MySQL holds: where each record sat ("partition/offset") to its reason. */
    Map<String, String> deadLetters() {
        Map<String, String> letters = new HashMap<>();
        query("SELECT kafka_partition, kafka_offset, reason FROM dead_letters WHERE topic <> ?", "",
                row -> letters.put(row.getInt(1) + "/" + row.getLong(2), row.getString(3)));
        return letters;
    }

    /** Sends a record to the sale events topic as any producer could, bypassing the grid. */
    RecordMetadata publish(String key, String value) {
        Properties properties = new Properties();
        properties.setProperty("bootstrap.servers", kafka.bootstrapServers());
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(properties, new StringSerializer(), new StringSerializer())) {
            return producer.send(new ProducerRecord<>(Topics.SALE_EVENTS, key, value)).get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** Grows the sale events topic to {@code partitions} partitions, as ops would. */
    void addPartitions(int partitions) throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()))) {
            admin.createPartitions(Map.of(Topics.SALE_EVENTS, NewPartitions.increaseTo(partitions))).all().get(30, TimeUnit.SECONDS);
        }
    }

    /** Every record on the dead-letter topic: its key to its value. */
    Map<String, String> deadLetterTopic() {
        Properties properties = new Properties();
        properties.setProperty("bootstrap.servers", kafka.bootstrapServers());
        properties.setProperty("auto.offset.reset", "earliest");
        Map<String, String> records = new HashMap<>();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(properties, new StringDeserializer(), new StringDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(Topics.DEAD_LETTERS).stream()
                    .map(info -> new TopicPartition(info.topic(), info.partition())).toList();
            consumer.assign(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            while (partitions.stream().anyMatch(partition -> consumer.position(partition) < end.get(partition))) {
                consumer.poll(Duration.ofMillis(500)).forEach(record -> records.put(record.key(), record.value()));
            }
        }
        return records;
    }

    /** Runs {@code sql} on MySQL as the platform's user. */
    void execute(String sql) {
        try (Connection connection = DriverManager.getConnection(settings.mysqlUrl(), settings.mysqlUser(), settings.mysqlPassword());
             Statement statement = connection.createStatement()) {
            statement.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** When each order of a sale landed in MySQL. */
    Map<String, Instant> recordedAt(String saleId) {
        Map<String, Instant> recorded = new HashMap<>();
        query("SELECT order_id, recorded_at FROM orders WHERE sale_id = ?", saleId,
                row -> recorded.put(row.getString(1), row.getTimestamp(2).toLocalDateTime().toInstant(java.time.ZoneOffset.UTC)));
        return recorded;
    }

    /** Each order of a sale as MySQL holds it: its status, and whether the time of that status is set ("PAID@" if paid_at is). */
    Map<String, String> orderStates(String saleId) {
        Map<String, String> states = new HashMap<>();
        query("""
                SELECT order_id, status, CASE status WHEN 'PAID' THEN paid_at WHEN 'CANCELLED' THEN cancelled_at
                                                     WHEN 'EXPIRED' THEN expired_at END
                FROM orders WHERE sale_id = ?""", saleId,
                row -> states.put(row.getString(1), row.getString(2) + (row.getTimestamp(3) == null ? "" : "@")));
        return states;
    }

    /** The refunds due of a sale: payment id to reason. */
    Map<String, String> refundsDue(String saleId) {
        Map<String, String> refunds = new HashMap<>();
        query("SELECT payment_id, reason FROM refunds_due WHERE sale_id = ?", saleId,
                row -> refunds.put(row.getString(1), row.getString(2)));
        return refunds;
    }

    int saleStockInMysql(String saleId) {
        int[] stock = {-1};
        query("SELECT stock FROM sales WHERE sale_id = ?", saleId, row -> stock[0] = row.getInt(1));
        return stock[0];
    }

    private interface RowReader {
        void read(ResultSet row) throws SQLException;
    }

    private void query(String sql, String saleId, RowReader reader) {
        try (Connection connection = DriverManager.getConnection(settings.mysqlUrl(), settings.mysqlUser(), settings.mysqlPassword());
             PreparedStatement statement = connection.prepareStatement(sql)) {
            statement.setString(1, saleId);
            try (ResultSet row = statement.executeQuery()) {
                while (row.next()) {
                    reader.read(row);
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        for (AutoCloseable part : List.<AutoCloseable>of(api, cluster, kafka, mysql)) {
            try {
                part.close();
            } catch (Exception e) {
                // keep closing the rest
            }
        }
    }
}
