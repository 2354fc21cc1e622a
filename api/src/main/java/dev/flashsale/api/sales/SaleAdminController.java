package dev.flashsale.api.sales;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Pattern;

import dev.flashsale.api.auth.Tokens;
import dev.flashsale.api.http.ApiError;
import dev.flashsale.api.http.Json;
import dev.flashsale.sale.Sale;
import dev.flashsale.stock.StockLevel;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;

/** What ops do with sales: create them. Needs an admin token. */
public final class SaleAdminController {

    static final Pattern SALE_ID = Pattern.compile("[a-z0-9][a-z0-9-]{0,63}");
    static final int MAX_STOCK = 10_000_000;
    static final int MAX_BUCKETS = 256;
    static final int DEFAULT_BUCKETS = 8;
    static final int MAX_PER_SHOPPER_LIMIT = 100;
    static final Duration MIN_PAYMENT_WINDOW = Duration.ofMinutes(1);
    static final Duration MAX_PAYMENT_WINDOW = Duration.ofDays(1);

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
        if (body.name() == null || body.name().isBlank() || body.name().length() > 200) {
            problems.add("name is required, at most 200 characters");
        }
        if (body.price() == null || body.price().signum() < 0 || body.price().scale() > 2) {
            problems.add("price is required, not negative, with at most 2 decimals");
        }
        int stock = body.stock() == null ? 0 : body.stock();
        if (stock < 1 || stock > MAX_STOCK) {
            problems.add("stock is required, 1 to " + MAX_STOCK);
        }
        if (body.startsAt() == null || body.endsAt() == null || !body.startsAt().isBefore(body.endsAt())) {
            problems.add("startsAt and endsAt are required, startsAt before endsAt");
        } else if (!body.endsAt().isAfter(clock.instant())) {
            problems.add("endsAt must be in the future");
        }
        int limit = body.perShopperLimit() == null ? Sale.DEFAULT_PER_SHOPPER_LIMIT : body.perShopperLimit();
        if (limit < 1 || limit > MAX_PER_SHOPPER_LIMIT) {
            problems.add("perShopperLimit must be 1 to " + MAX_PER_SHOPPER_LIMIT);
        }
        Duration window = body.paymentWindowSeconds() == null
                ? Sale.DEFAULT_PAYMENT_WINDOW : Duration.ofSeconds(body.paymentWindowSeconds());
        if (window.compareTo(MIN_PAYMENT_WINDOW) < 0 || window.compareTo(MAX_PAYMENT_WINDOW) > 0) {
            problems.add("paymentWindowSeconds must be " + MIN_PAYMENT_WINDOW.toSeconds() + " to " + MAX_PAYMENT_WINDOW.toSeconds());
        }
        int buckets = body.buckets() == null ? Math.max(1, Math.min(DEFAULT_BUCKETS, stock)) : body.buckets();
        if (buckets < 1 || buckets > MAX_BUCKETS || (stock > 0 && buckets > stock)) {
            problems.add("buckets must be 1 to " + MAX_BUCKETS + " and not more than stock");
        }
        if (!problems.isEmpty()) {
            throw new ApiError(400, "invalid_sale", String.join("; ", problems), Map.of("problems", problems));
        }
        return new NewSale(id, body.name().strip(), body.price(), stock, body.startsAt(), body.endsAt(), limit, window, buckets);
    }
}
