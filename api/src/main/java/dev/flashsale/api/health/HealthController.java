package dev.flashsale.api.health;

import java.time.Clock;
import java.util.Map;

import dev.flashsale.api.http.ErrorBody;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;

/** Liveness, readiness, and the server clock the sale page counts down against. */
public final class HealthController {

    private final GridConnection grid;
    private final Clock clock;

    public HealthController(GridConnection grid, Clock clock) {
        this.grid = grid;
        this.clock = clock;
    }

    public void register(RoutesConfig routes) {
        routes.get("/health/live", ctx -> ctx.json(Map.of("status", "live")));
        // The same answer to a POST, so that a load test can measure its baseline with exactly
        // the request it sends to the purchase endpoint (headers, body and all).
        routes.post("/health/live", ctx -> ctx.json(Map.of("status", "live")));
        routes.get("/health/ready", this::ready);
        routes.get("/api/time", ctx -> {
            long now = clock.millis();
            ctx.json(Map.of("now", java.time.Instant.ofEpochMilli(now).toString(), "epochMillis", now));
        });
    }

    private void ready(Context ctx) {
        if (grid.isConnected()) {
            ctx.json(Map.of("status", "ready"));
        } else {
            ctx.status(503).json(ErrorBody.of("not_ready", "not connected to the grid"));
        }
    }
}
