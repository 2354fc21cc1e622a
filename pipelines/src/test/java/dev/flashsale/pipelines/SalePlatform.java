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
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

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

    final KafkaBroker kafka;
    final MariaDbServer mysql;
    final LocalCluster cluster;
    final ApiNode api;
    final PipelineSettings settings;

    private SalePlatform(KafkaBroker kafka, MariaDbServer mysql, LocalCluster cluster, ApiNode api, PipelineSettings settings) {
        this.kafka = kafka;
        this.mysql = mysql;
        this.cluster = cluster;
        this.api = api;
        this.settings = settings;
    }

    static SalePlatform start(int members) {
        try {
            Path dir = Files.createTempDirectory("flashsale-e2e");
            KafkaBroker kafka = KafkaBroker.start(dir.resolve("kafka"));
            MariaDbServer mysql = MariaDbServer.start(dir.resolve("mysql"));
            mysql.createDatabase("flashsale");
            PipelineSettings settings = new PipelineSettings(kafka.bootstrapServers(), 4, (short) 1,
                    mysql.jdbcUrl("flashsale"), mysql.user(), mysql.password());
            Schema.migrate(settings);
            LocalCluster cluster = LocalCluster.start(members);
            Map<String, String> env = new HashMap<>();
            env.put("FLASHSALE_MYSQL_URL", settings.mysqlUrl());
            env.put("FLASHSALE_MYSQL_USER", settings.mysqlUser());
            env.put("FLASHSALE_MYSQL_PASSWORD", settings.mysqlPassword());
            ApiNode api = ApiNode.on(cluster, env);
            SaleJobs.submit(api.client(), settings);
            return new SalePlatform(kafka, mysql, cluster, api, settings);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    Job job(String name) {
        return api.client().getJet().getJob(name);
    }

    /** Order rows of a sale in MySQL: order id to how many rows carry it. */
    Map<String, Integer> orderRows(String saleId) {
        Map<String, Integer> rows = new HashMap<>();
        query("SELECT order_id, COUNT(*) FROM orders WHERE sale_id = ? GROUP BY order_id", saleId,
                row -> rows.put(row.getString(1), row.getInt(2)));
        return rows;
    }

    /** When each order of a sale landed in MySQL. */
    Map<String, Instant> recordedAt(String saleId) {
        Map<String, Instant> recorded = new HashMap<>();
        query("SELECT order_id, recorded_at FROM orders WHERE sale_id = ?", saleId,
                row -> recorded.put(row.getString(1), row.getTimestamp(2).toLocalDateTime().toInstant(java.time.ZoneOffset.UTC)));
        return recorded;
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
