package dev.flashsale.api.http;

import java.sql.SQLException;
import java.util.concurrent.CompletionException;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.hazelcast.core.HazelcastException;

import dev.flashsale.api.grid.GridRetries;
import dev.flashsale.api.purchase.InvalidQuantityException;
import dev.flashsale.api.sales.InvalidSaleException;
import dev.flashsale.api.sales.NoRoomForSaleException;
import dev.flashsale.api.sales.SaleExistsException;
import dev.flashsale.api.sales.SaleNotOpenException;
import dev.flashsale.api.sales.SalePausedException;
import dev.flashsale.api.sales.StockOutOfRangeException;
import dev.flashsale.api.sales.UnknownSaleException;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.javalin.http.HttpResponseException;

/**
 * Maps every failure to one JSON error body. Refused requests ({@link ApiError}) keep their
 * status; Javalin's own (unknown route, wrong method) keep theirs; anything else is the
 * platform failing: a 5xx, and a log line (503 when the grid or MySQL is unreachable, 500 otherwise).
 */
public final class ErrorMapping {

    private static final Logger LOG = LoggerFactory.getLogger(ErrorMapping.class);

    public void register(RoutesConfig routes) {
        routes.exception(HttpResponseException.class, (e, ctx) ->
                ctx.status(e.getStatus()).json(ErrorBody.of(codeOf(e.getStatus()), e.getMessage())));
        // Failures of async handlers arrive wrapped in a CompletionException; handle() unwraps them.
        routes.exception(Exception.class, (e, ctx) -> handle(ctx, e));
        routes.error(404, "*", ctx -> {
            String type = ctx.res().getContentType();
            if (type == null || !type.startsWith("application/json")) {
                ctx.json(ErrorBody.of("not_found", "no such endpoint: " + ctx.method() + " " + ctx.path()));
            }
        });
        routes.error(405, "*", ctx -> ctx.json(ErrorBody.of("method_not_allowed", ctx.method() + " is not allowed on " + ctx.path())));
    }

    private void handle(Context ctx, Throwable failure) {
        Throwable cause = failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
        ApiError refusal = refusal(cause);
        if (refusal != null) {
            render(ctx, refusal);
            return;
        }
        if (GridRetries.isUnreachable(cause) || cause instanceof HazelcastException) {
            LOG.warn("grid call failed for {} {}: {}", ctx.method(), ctx.path(), cause.toString());
            ctx.status(503).header("Retry-After", "1")
                    .json(ErrorBody.of("grid_unavailable", "the sale cannot be reached right now; retry with the same Idempotency-Key"));
            return;
        }
        if (cause instanceof SQLException) {
            // Only ops' reads touch MySQL (reconciliation, the event path); shoppers never wait on it.
            LOG.warn("MySQL read failed for {} {}: {}", ctx.method(), ctx.path(), cause.toString());
            ctx.status(503).header("Retry-After", "5")
                    .json(ErrorBody.of("mysql_unavailable", "MySQL cannot be read right now; retry later"));
            return;
        }
        LOG.error("request failed: {} {}", ctx.method(), ctx.path(), cause);
        ctx.status(500).json(ErrorBody.of("internal_error", "the request failed on the server; it was logged"));
    }

    /** The answer for a domain exception that refuses the request, or null if it is a failure. */
    private static ApiError refusal(Throwable cause) {
        if (cause instanceof ApiError error) {
            return error;
        }
        if (cause instanceof UnknownSaleException) {
            return ApiError.notFound("sale_not_found", cause.getMessage());
        }
        if (cause instanceof SaleNotOpenException) {
            return ApiError.forbidden("not_open", cause.getMessage());
        }
        if (cause instanceof InvalidSaleException invalid) {
            return new ApiError(400, "invalid_sale", invalid.getMessage(), java.util.Map.of("problems", invalid.problems()));
        }
        if (cause instanceof StockOutOfRangeException) {
            return ApiError.conflict("stock_out_of_range", cause.getMessage());
        }
        if (cause instanceof SalePausedException) {
            return ApiError.forbidden("paused", cause.getMessage());
        }
        if (cause instanceof NoRoomForSaleException) {
            return ApiError.conflict("no_room_for_sale", cause.getMessage());
        }
        if (cause instanceof SaleExistsException) {
            return ApiError.conflict("sale_exists", cause.getMessage());
        }
        if (cause instanceof InvalidQuantityException) {
            return ApiError.badRequest("invalid_quantity", cause.getMessage());
        }
        return null;
    }

    private static void render(Context ctx, ApiError error) {
        ctx.status(error.status()).json(ErrorBody.of(error.code(), error.getMessage(), error.details()));
    }

    static String codeOf(int status) {
        return switch (status) {
            case 400 -> "bad_request";
            case 401 -> "unauthorized";
            case 403 -> "forbidden";
            case 404 -> "not_found";
            case 405 -> "method_not_allowed";
            case 413 -> "payload_too_large";
            case 414 -> "uri_too_long";
            case 431 -> "headers_too_large";
            default -> status >= 500 ? "internal_error" : "request_refused";
        };
    }
}
