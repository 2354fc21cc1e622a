package dev.flashsale.api;

import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

import com.hazelcast.core.HazelcastInstance;

import dev.flashsale.api.auth.Role;
import dev.flashsale.api.auth.Tokens;
import dev.flashsale.grid.LocalCluster;
import io.javalin.Javalin;

/** An API node for tests: a real client of a {@link LocalCluster}, serving HTTP on a free port. */
public final class ApiNode implements AutoCloseable {

    public static final String SECRET = "test-secret-test-secret-test-secret-0123456789";
    public static final String PAYMENT_SECRET = "payment-secret-payment-secret-0123456789";

    private final HazelcastInstance client;
    private final Javalin app;
    private final ShopClient shop;
    private final Tokens tokens;

    private ApiNode(HazelcastInstance client, Clock clock, Map<String, String> env) {
        this.client = client;
        Map<String, String> all = new HashMap<>(Map.of(
                "FLASHSALE_HTTP_HOST", "127.0.0.1",
                "FLASHSALE_HTTP_PORT", "0",
                "FLASHSALE_AUTH_JWT_SECRET", SECRET,
                "FLASHSALE_PAYMENTS_SECRET", PAYMENT_SECRET,
                "FLASHSALE_DEMO_ENABLED", "true"));
        all.putAll(env);
        Settings settings = Settings.load(all);
        this.app = ApiApp.create(client, settings, clock).start();
        this.shop = new ShopClient(app.port());
        this.tokens = new Tokens(SECRET, settings.jwtIssuer(), settings.jwtAudience(), clock);
    }

    public static ApiNode on(LocalCluster cluster) {
        return on(cluster, Map.of());
    }

    /** An API node with settings overridden as environment variables would ({@code FLASHSALE_*}). */
    public static ApiNode on(LocalCluster cluster, Map<String, String> env) {
        return new ApiNode(cluster.newClient(), Clock.systemUTC(), env);
    }

    /** An API node over a client of a grid started elsewhere (member processes, say). */
    public static ApiNode on(HazelcastInstance client, Map<String, String> env) {
        return new ApiNode(client, Clock.systemUTC(), env);
    }

    public ShopClient shop() {
        return shop;
    }

    public HazelcastInstance client() {
        return client;
    }

    public String shopperToken(String shopperId) {
        return tokens.issue(shopperId, Role.SHOPPER, Duration.ofHours(1));
    }

    public String adminToken() {
        return tokens.issue("ops", Role.ADMIN, Duration.ofHours(1));
    }

    @Override
    public void close() {
        app.stop();
    }
}
