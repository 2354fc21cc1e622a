package dev.flashsale.demo;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import com.hazelcast.client.HazelcastClient;
import com.hazelcast.client.config.ClientConfig;
import com.hazelcast.cluster.Address;
import com.hazelcast.config.Config;
import com.hazelcast.core.Hazelcast;
import com.hazelcast.core.HazelcastInstance;

import dev.flashsale.api.ApiApp;
import dev.flashsale.api.Settings;
import dev.flashsale.api.auth.Role;
import dev.flashsale.api.auth.Tokens;
import dev.flashsale.api.sales.NewSale;
import dev.flashsale.api.sales.SaleCatalog;
import dev.flashsale.embedded.KafkaBroker;
import dev.flashsale.embedded.MariaDbServer;
import dev.flashsale.grid.GridConfig;
import dev.flashsale.grid.Jobs;
import dev.flashsale.grid.JvmDefaults;
import dev.flashsale.pipelines.PipelineSettings;
import dev.flashsale.pipelines.SaleJobs;
import dev.flashsale.pipelines.Schema;
import io.javalin.Javalin;

/**
 * The whole platform on one machine, on 127.0.0.1: a real Kafka broker and a real MariaDB
 * server (unless {@code FLASHSALE_KAFKA_BOOTSTRAP_SERVERS} / {@code FLASHSALE_MYSQL_URL} name
 * external ones), a grid member running both sale jobs, an API node connected to it as a
 * client, and a demo sale that opens a few seconds after start. Each run starts from empty
 * servers: the grid keeps nothing across restarts either.
 */
public final class Demo implements AutoCloseable {

    public static final String SALE_ID = "demo-sale";
    private static final String DATABASE = "flashsale";
    static final Duration OPENS_AFTER = Duration.ofSeconds(15);

    /** Where the embedded servers keep their data (its kafka/ and mysql/ are wiped at start). */
    public static final String DATA_DIR_ENV = "FLASHSALE_DEMO_DATA";

    private final List<AutoCloseable> parts;
    private final HazelcastInstance member;
    private final HazelcastInstance client;
    private final Javalin api;
    private final Settings settings;
    private final Map<String, String> env;
    private final Instant saleOpensAt = Instant.now().plus(OPENS_AFTER).truncatedTo(ChronoUnit.SECONDS);

    private Demo(List<AutoCloseable> parts, HazelcastInstance member, HazelcastInstance client, Javalin api,
                 Settings settings, Map<String, String> env) {
        this.parts = parts;
        this.member = member;
        this.client = client;
        this.api = api;
        this.settings = settings;
        this.env = env;
    }

    public static void main(String[] args) {
        JvmDefaults.apply();
        Demo demo = start(GridConfig.member(), GridConfig.client(), System.getenv());
        Runtime.getRuntime().addShutdownHook(new Thread(demo::close, "demo-shutdown"));
        demo.printWelcome();
    }

    /** Starts servers, member, jobs, API node and demo sale; {@code env} may override any setting. */
    public static Demo start(Config memberConfig, ClientConfig clientConfig, Map<String, String> env) {
        List<AutoCloseable> parts = new ArrayList<>();
        Map<String, String> demoEnv = new HashMap<>();
        demoEnv.put(Settings.envName("http.host"), "127.0.0.1");
        demoEnv.put(Settings.envName("demo.enabled"), "true");
        demoEnv.put(Settings.envName("auth.jwt.secret"), randomSecret());
        demoEnv.put(Settings.envName("payments.secret"), randomSecret());
        demoEnv.putAll(env);
        Path data = Path.of(env.getOrDefault(DATA_DIR_ENV, "target/demo-data"));
        // Only the servers' own folders are wiped, never whatever else the named folder holds.
        deleteRecursively(data.resolve("kafka"));
        deleteRecursively(data.resolve("mysql"));
        if (!env.containsKey(Settings.envName("kafka.bootstrap.servers"))) {
            KafkaBroker kafka = KafkaBroker.start(data.resolve("kafka"));
            parts.add(0, kafka);
            demoEnv.put(Settings.envName("kafka.bootstrap.servers"), kafka.bootstrapServers());
        }
        if (!env.containsKey(Settings.envName("mysql.url"))) {
            MariaDbServer mysql = MariaDbServer.start(data.resolve("mysql"));
            mysql.createDatabase(DATABASE);
            parts.add(0, mysql);
            demoEnv.put(Settings.envName("mysql.url"), mysql.jdbcUrl(DATABASE));
            demoEnv.put(Settings.envName("mysql.user"), mysql.user());
            demoEnv.put(Settings.envName("mysql.password"), mysql.password());
        }
        Settings settings = Settings.load(demoEnv);
        PipelineSettings pipelines = PipelineSettings.load(demoEnv);
        Schema.migrate(pipelines);

        HazelcastInstance member = Hazelcast.newHazelcastInstance(memberConfig);
        parts.add(0, member::shutdown);
        // The demo's API node talks to the demo's one member, wherever it bound.
        Address memberAddress = member.getCluster().getLocalMember().getAddress();
        clientConfig.getNetworkConfig().setAddresses(List.of(memberAddress.getHost() + ":" + memberAddress.getPort()));
        HazelcastInstance client = HazelcastClient.newHazelcastClient(clientConfig);
        parts.add(0, client::shutdown);
        SaleJobs.submit(client, pipelines);
        Javalin api = ApiApp.create(client, settings).start();
        parts.add(0, api::stop);
        Demo demo = new Demo(parts, member, client, api, settings, demoEnv);
        demo.createSale();
        return demo;
    }

    public int httpPort() {
        return api.port();
    }

    public String adminToken() {
        return tokens().issue("demo-admin", Role.ADMIN, settings.tokenTtl());
    }

    /** Signs tokens the demo's API node accepts. */
    public Tokens tokens() {
        return new Tokens(settings.jwtSecret(), settings.jwtIssuer(), settings.jwtAudience(), Clock.systemUTC());
    }

    public HazelcastInstance client() {
        return client;
    }

    private void createSale() {
        try {
            new SaleCatalog(client).create(new NewSale(SALE_ID, "Demo sale: 100 limited-edition sneakers",
                    new BigDecimal("49.00"), 100, saleOpensAt, saleOpensAt.plus(Duration.ofHours(1)), 1, Duration.ofMinutes(15), 4),
                    Instant.now());
        } catch (SQLException cannotHappen) {
            // this catalog reads no MySQL (SaleRecords.NONE)
            throw new IllegalStateException(cannotHappen);
        }
    }

    private void printWelcome() {
        String base = "http://127.0.0.1:" + httpPort();
        System.out.printf("""

                Flash sale demo is running (Ctrl-C stops it).
                  grid member        %s   (jobs %s, %s)
                  Kafka              %s   (topic sale-events)
                  MySQL              %s   (user %s; tables sales, orders, dead_letters)
                  API                %s
                  sale               %s/api/sales/%s   (opens %s)
                  server time        %s/api/time

                Get a shopper token, then buy:
                  TOKEN=$(curl -s -X POST %s/demo/tokens -d '{"shopperId":"alice"}' | sed 's/.*"token":"\\([^"]*\\)".*/\\1/')
                  curl -i -X POST %s/api/sales/%s/purchases -H "Authorization: Bearer $TOKEN" \\
                       -H 'Idempotency-Key: alice-1' -H 'Content-Type: application/json' -d '{"quantity":1}'

                Admin token, to create sales (POST %s/admin/sales), check one against MySQL, and see the
                event path's jobs, lag and dead letters:
                  ADMIN=%s
                  curl -s %s/admin/sales/%s/reconciliation -H "Authorization: Bearer $ADMIN"
                  curl -s %s/admin/event-path -H "Authorization: Bearer $ADMIN"

                """, member.getCluster().getLocalMember().getAddress(), Jobs.OUTBOX, Jobs.ORDERS,
                env.get(Settings.envName("kafka.bootstrap.servers")), env.get(Settings.envName("mysql.url")),
                env.get(Settings.envName("mysql.user")), base, base, SALE_ID, saleOpensAt, base,
                base, base, SALE_ID, base, adminToken(), base, SALE_ID, base);
    }

    /** Stops everything, newest first. */
    @Override
    public void close() {
        for (AutoCloseable part : parts) {
            try {
                part.close();
            } catch (Exception e) {
                System.err.println("while stopping the demo: " + e);
            }
        }
    }

    private static void deleteRecursively(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot clear " + dir, e);
        }
    }

    private static String randomSecret() {
        byte[] bytes = new byte[32];
        new SecureRandom().nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }
}
