package dev.flashsale.api.eventpath;

import java.util.Map;

import dev.flashsale.api.auth.Tokens;
import dev.flashsale.api.http.ApiError;
import dev.flashsale.sale.Limits;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;

/** Ops' view of the event path: its jobs, lag and dead letters. Needs an admin token and MySQL. */
public final class EventPathController {

    static final int MAX_DEAD_LETTERS = 100;

    private final EventPath eventPath;
    private final EventPathLedger ledger;
    private final Tokens tokens;

    /** {@code eventPath} and {@code ledger} are null when no MySQL is configured: the endpoints then answer 503. */
    public EventPathController(EventPath eventPath, EventPathLedger ledger, Tokens tokens) {
        this.eventPath = eventPath;
        this.ledger = ledger;
        this.tokens = tokens;
    }

    public void register(RoutesConfig routes) {
        routes.get("/admin/event-path", this::status);
        routes.get("/admin/dead-letters", this::deadLetters);
    }

    private void status(Context ctx) {
        requireMysql(ctx);
        ctx.async(() -> ctx.json(eventPath.status()));
    }

    /** {@code ?saleId=} keeps one sale's; {@code ?limit=} (1-100, default 100) the newest that many. */
    private void deadLetters(Context ctx) {
        requireMysql(ctx);
        String saleId = ctx.queryParam("saleId");
        if (saleId != null && !Limits.isPrintableText(saleId, Limits.SALE_ID_LENGTH)) {
            throw ApiError.badRequest("invalid_sale_id", "saleId must be 1-" + Limits.SALE_ID_LENGTH + " printable characters");
        }
        int limit = limit(ctx.queryParam("limit"));
        ctx.async(() -> ctx.json(Map.of(
                "count", ledger.countDeadLetters(saleId),
                "deadLetters", ledger.deadLetters(saleId, limit))));
    }

    private void requireMysql(Context ctx) {
        tokens.admin(ctx);
        if (ledger == null) {
            throw ApiError.mysqlNotConfigured();
        }
    }

    private static int limit(String value) {
        if (value == null) {
            return MAX_DEAD_LETTERS;
        }
        try {
            int limit = Integer.parseInt(value);
            if (limit >= 1 && limit <= MAX_DEAD_LETTERS) {
                return limit;
            }
        } catch (NumberFormatException e) {
            // answered below
        }
        throw ApiError.badRequest("invalid_limit", "limit must be a whole number from 1 to " + MAX_DEAD_LETTERS);
    }
}
