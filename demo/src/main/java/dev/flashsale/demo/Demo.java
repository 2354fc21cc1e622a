package dev.flashsale.demo;

import java.math.BigDecimal;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

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
import dev.flashsale.grid.GridConfig;
import dev.flashsale.grid.JvmDefaults;
import io.javalin.Javalin;

/**
 * The whole platform on one machine, on 127.0.0.1: a grid member, an API node connected to
 * it as a client, and a demo sale that opens a few seconds after start.
 */
public final class Demo implements AutoCloseable {

    public static final String SALE_ID = "demo-sale";
    static final Duration OPENS_AFTER = Duration.ofSeconds(15);

    private final HazelcastInstance member;
    private final HazelcastInstance client;
    private final Javalin api;
    private final Settings settings;
    private final Instant saleOpensAt = Instant.now().plus(OPENS_AFTER).truncatedTo(ChronoUnit.SECONDS);

    private Demo(HazelcastInstance member, HazelcastInstance client, Javalin api, Settings settings) {
        this.member = member;
        this.client = client;
        this.api = api;
        this.settings = settings;
    }

    public static void main(String[] args) {
        JvmDefaults.apply();
        Demo demo = start(GridConfig.member(), GridConfig.client(), System.getenv());
        Runtime.getRuntime().addShutdownHook(new Thread(demo::close, "demo-shutdown"));
        demo.printWelcome();
    }

    /** Starts member, API node and demo sale; {@code env} may override any API setting. */
    public static Demo start(Config memberConfig, ClientConfig clientConfig, Map<String, String> env) {
        Map<String, String> demoEnv = new HashMap<>();
        demoEnv.put(Settings.envName("http.host"), "127.0.0.1");
        demoEnv.put(Settings.envName("demo.enabled"), "true");
        demoEnv.put(Settings.envName("auth.jwt.secret"), randomSecret());
        demoEnv.putAll(env);
        Settings settings = Settings.load(demoEnv);

        HazelcastInstance member = Hazelcast.newHazelcastInstance(memberConfig);
        // The demo's API node talks to the demo's one member, wherever it bound.
        Address memberAddress = member.getCluster().getLocalMember().getAddress();
        clientConfig.getNetworkConfig().setAddresses(List.of(memberAddress.getHost() + ":" + memberAddress.getPort()));
        HazelcastInstance client = HazelcastClient.newHazelcastClient(clientConfig);
        Javalin api = ApiApp.create(client, settings).start();
        Demo demo = new Demo(member, client, api, settings);
        demo.createSale();
        return demo;
    }

    public int httpPort() {
        return api.port();
    }

    public String adminToken() {
        return new Tokens(settings.jwtSecret(), settings.jwtIssuer(), Clock.systemUTC())
                .issue("demo-admin", Role.ADMIN, settings.tokenTtl());
    }

    private void createSale() {
        new SaleCatalog(client).create(new NewSale(SALE_ID, "Demo sale: 100 limited-edition sneakers",
                new BigDecimal("49.00"), 100, saleOpensAt, saleOpensAt.plus(Duration.ofHours(1)), 1, Duration.ofMinutes(15), 4));
    }

    private void printWelcome() {
        String base = "http://127.0.0.1:" + httpPort();
        System.out.printf("""

                Flash sale demo is running (Ctrl-C stops it).
                  grid member        %s
                  API                %s
                  sale               %s/api/sales/%s   (opens %s)
                  server time        %s/api/time

                Get a shopper token, then buy:
                  TOKEN=$(curl -s -X POST %s/demo/tokens -d '{"shopperId":"alice"}' | sed 's/.*"token":"\\([^"]*\\)".*/\\1/')
                  curl -i -X POST %s/api/sales/%s/purchases -H "Authorization: Bearer $TOKEN" \\
                       -H 'Idempotency-Key: alice-1' -H 'Content-Type: application/json' -d '{"quantity":1}'

                Admin token (create sales with POST %s/admin/sales):
                  %s

                """, member.getCluster().getLocalMember().getAddress(), base, base, SALE_ID,
                saleOpensAt, base, base, base, SALE_ID, base, adminToken());
    }

    @Override
    public void close() {
        api.stop();
        client.shutdown();
        member.shutdown();
    }

    private static String randomSecret() {
        byte[] bytes = new byte[32];
        new SecureRandom().nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }
}
