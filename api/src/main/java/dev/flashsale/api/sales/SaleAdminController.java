package dev.flashsale.api.sales;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Pattern;

import dev.flashsale.api.auth.Tokens;
import dev.flashsale.api.http.ApiError;
import dev.flashsale.api.http.Json;
import dev.flashsale.sale.Limits;
import dev.flashsale.sale.Sale;
import dev.flashsale.stock.StockLevel;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;

/** What ops do with sales: create them. Needs an admin token. */
public final class SaleAdminController {

    static final Pattern SALE_ID = Pattern.compile("[a-z0-9][a-z0-9-]{0," + (Limits.SALE_ID_LENGTH - 1) + "}");
    static final int DEFAULT_BUCKETS = 8;
    static final Duration MIN_PAYMENT_WINDOW = Duration.ofSeconds(5);
    static final Duration MAX_PAYMENT_WINDOW = Duration.ofDays(1);
    /** How far back a new sale may start: enough to open one at once despite clock skew, no more. */
    static final Duration LATEST_BACKDATED_START = Duration.ofDays(1);
    /** How far ahead a new sale may end. */
    static final Duration FURTHEST_END = Duration.ofDays(366);

    private final SaleCatalog catalog;
    private final Tokens tokens;
    private final Clock clock;

    public SaleAdminController(SaleCatalog catalog, Tokens tokens, Clock clock) {
        this.catalog = catalog;
        this.tokens = tokens;
        this.clock = clock;
    }

    public void register(RoutesConfig routes) {
        routes.post("/admin/sales", this::create);
    }

    private void create(Context ctx) {
        tokens.admin(ctx);
        NewSale request = validate(Json.body(ctx, NewSaleRequest.class));
        ctx.async(() -> {
            Sale sale = catalog.create(request, clock.instant());
            ctx.status(201).json(SaleView.of(sale, new StockLevel(sale.stock(), sale.stock()), clock.instant()));
        });
    }

    private NewSale validate(NewSaleRequest body) {
        List<String> problems = new ArrayList<>();
        String id = body.id() == null ? UUID.randomUUID().toString() : body.id();
        if (!SALE_ID.matcher(id).matches()) {
            problems.add("id must be 1-64 lower-case letters, digits or '-', starting with a letter or digit");
        }
        if (!Limits.isPrintableText(body.name(), Limits.SALE_NAME_LENGTH)) {
            problems.add("name is required: 1-" + Limits.SALE_NAME_LENGTH + " characters, not blank, no control characters");
        }
        if (!Limits.isPrice(body.price())) {
            problems.add("price is required: " + Limits.PRICE_RULE);
        }
        int stock = body.stock() == null ? 0 : body.stock();
        if (stock < 1 || stock > Limits.MAX_STOCK) {
            problems.add("stock is required, 1 to " + Limits.MAX_STOCK);
        }
        problems.addAll(windowProblems(body.startsAt(), body.endsAt(), clock.instant()));
        int limit = body.perShopperLimit() == null ? Sale.DEFAULT_PER_SHOPPER_LIMIT : body.perShopperLimit();
        if (limit < 1 || limit > Limits.MAX_PER_SHOPPER_LIMIT) {
            problems.add("perShopperLimit must be 1 to " + Limits.MAX_PER_SHOPPER_LIMIT);
        }
        Duration window = body.paymentWindowSeconds() == null
                ? Sale.DEFAULT_PAYMENT_WINDOW : Duration.ofSeconds(body.paymentWindowSeconds());
        if (window.compareTo(MIN_PAYMENT_WINDOW) < 0 || window.compareTo(MAX_PAYMENT_WINDOW) > 0) {
            problems.add("paymentWindowSeconds must be " + MIN_PAYMENT_WINDOW.toSeconds() + " to " + MAX_PAYMENT_WINDOW.toSeconds());
        }
        int buckets = body.buckets() == null ? Math.max(1, Math.min(DEFAULT_BUCKETS, stock)) : body.buckets();
        if (buckets < 1 || buckets > Limits.MAX_BUCKETS || (stock > 0 && buckets > stock)) {
            problems.add("buckets must be 1 to " + Limits.MAX_BUCKETS + " and not more than stock");
        }
        if (!problems.isEmpty()) {
            throw new ApiError(400, "invalid_sale", String.join("; ", problems), Map.of("problems", problems));
        }
        return new NewSale(id, body.name().strip(), body.price(), stock, body.startsAt(), body.endsAt(), limit, window, buckets);
    }

    // Checked before anything turns the instants into epoch milliseconds, which overflows for
    // years beyond 292 million: an instant out of range is an answer, never an exception.
    private static List<String> windowProblems(Instant startsAt, Instant endsAt, Instant now) {
        if (startsAt == null || endsAt == null) {
            return List.of("startsAt and endsAt are required");
        }
        List<String> problems = new ArrayList<>();
        if (startsAt.isBefore(now.minus(LATEST_BACKDATED_START))) {
            problems.add("startsAt may be at most " + LATEST_BACKDATED_START.toHours() + " hours in the past");
        }
        if (endsAt.isAfter(now.plus(FURTHEST_END))) {
            problems.add("endsAt may be at most " + FURTHEST_END.toDays() + " days ahead");
        }
        if (!startsAt.isBefore(endsAt)) {
            problems.add("startsAt must be before endsAt");
        } else if (!endsAt.isAfter(now)) {
            problems.add("endsAt must be in the future");
        }
        return problems;
    }
}
