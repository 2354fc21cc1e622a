package dev.flashsale.api.demo;

import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Pattern;

import dev.flashsale.api.auth.Role;
import dev.flashsale.api.auth.Tokens;
import dev.flashsale.api.http.ApiError;
import dev.flashsale.api.http.Json;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;

/**
 * Hands out shopper tokens to anyone, so the demo can be tried without an identity
 * provider. Registered only when {@code demo.enabled=true}.
 */
public final class DemoTokenController {

    private static final Pattern SHOPPER_ID = Pattern.compile("[A-Za-z0-9_.@-]{1,64}");

    private final Tokens tokens;
    private final Duration ttl;

    public DemoTokenController(Tokens tokens, Duration ttl) {
        this.tokens = tokens;
        this.ttl = ttl;
    }

    public void register(RoutesConfig routes) {
        routes.post("/demo/tokens", this::issue);
    }

    /** Body (optional): {@code {"shopperId": "alice"}}; without one a random shopper id is made. */
    private void issue(Context ctx) {
        String shopperId = ctx.body().isBlank() ? null : Json.body(ctx, TokenRequest.class).shopperId();
        if (shopperId == null) {
            shopperId = "shopper-" + UUID.randomUUID();
        } else if (!SHOPPER_ID.matcher(shopperId).matches()) {
            throw ApiError.badRequest("invalid_shopper_id", "shopperId must be 1-64 letters, digits or _ . @ -");
        }
        ctx.status(201).json(Map.of("shopperId", shopperId, "token", tokens.issue(shopperId, Role.SHOPPER, ttl)));
    }

    record TokenRequest(String shopperId) {
    }
}
