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
import dev.flashsale.sale.CatalogRow;
import dev.flashsale.sale.Limits;
import dev.flashsale.sale.Sale;
import dev.flashsale.stock.StockLevel;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;

/**
 * What ops do with sales: create them, revise them (reschedule, price, pause), top them up or
 * withdraw stock. Needs an admin token. With MySQL, every change is written to MySQL's
 * {@code sales} table, ops' source of truth, and change data capture carries it to the grid;
 * the answer waits until the grid has it. A node without MySQL (a grid-only node for tests)
 * creates sales on the grid directly and cannot change them.
 */
public final class SaleAdminController {

    static final Pattern SALE_ID = Pattern.compile("[a-z0-9][a-z0-9-]{0," + (Limits.SALE_ID_LENGTH - 1) + "}");
    static final int DEFAULT_BUCKETS = 8;
    static final Duration MIN_PAYMENT_WINDOW = Duration.ofSeconds(5);
    static final Duration MAX_PAYMENT_WINDOW = Duration.ofDays(1);
    /** How far back a new sale may start: enough to open one at once despite clock skew, no more. */
    static final Duration LATEST_BACKDATED_START = Duration.ofDays(1);
    /** How far ahead a new sale may end. */
    static final Duration FURTHEST_END = Duration.ofDays(366);

    /** How long a change may take from MySQL to the grid before the answer says so. */
    static final Duration CATALOG_WAIT = Duration.ofSeconds(20);

    private final SaleCatalog catalog;
    private final SaleTable table;
    private final CatalogSync sync;
    private final Tokens tokens;
    private final Clock clock;

    /** @param table MySQL's sales table, null on a node without MySQL */
    public SaleAdminController(SaleCatalog catalog, SaleTable table, CatalogSync sync, Tokens tokens, Clock clock) {
        this.catalog = catalog;
        this.table = table;
        this.sync = sync;
        this.tokens = tokens;
        this.clock = clock;
    }

    public void register(RoutesConfig routes) {
        routes.post("/admin/sales", this::create);
        routes.patch("/admin/sales/{saleId}", this::revise);
        routes.post("/admin/sales/{saleId}/stock", this::changeStock);
    }

    private void create(Context ctx) {
        tokens.admin(ctx);
        NewSale request = validate(Json.body(ctx, NewSaleRequest.class));
        ctx.async(() -> {
            if (table == null) {
                Sale sale = catalog.create(request, clock.instant());
                ctx.status(201).json(SaleView.of(sale, new StockLevel(sale.stock(), sale.stock()), clock.instant()));
                return;
            }
            long version = table.insert(request);
            ctx.status(201).json(live(request.id(), version));
        });
    }

    /** Body: any of {@code name, price, startsAt, endsAt, perShopperLimit, paymentWindowSeconds, paused}. */
    private void revise(Context ctx) {
        tokens.admin(ctx);
        String saleId = ctx.pathParam("saleId");
        SaleTable.Revision revision = validate(Json.body(ctx, SaleTable.Revision.class));
        SaleTable mysql = requireTable();
        ctx.async(() -> {
            CatalogRow row = mysql.revise(saleId, revision).orElseThrow(() -> new UnknownSaleException(saleId));
            ctx.json(live(saleId, row.version()));
        });
    }

    /**
     * Body {@code {"units": n}}: a top-up (n above 0) or a withdrawal (below 0) of the stock ops
     * want on sale. Answers the sale with {@code wanted} and {@code onSale}: a withdrawal takes
     * only units that are available, and {@code shortfall} says how many it could not take yet
     * (orders hold them; they are taken as they come back).
     */
    private void changeStock(Context ctx) {
        tokens.admin(ctx);
        String saleId = ctx.pathParam("saleId");
        Integer units = Json.body(ctx, StockChange.class).units();
        if (units == null || units == 0 || Math.abs((long) units) > Limits.MAX_STOCK) {
            throw ApiError.badRequest("invalid_units", "units must be a whole number from -" + Limits.MAX_STOCK + " to "
                    + Limits.MAX_STOCK + ", not 0: above 0 tops the sale up, below 0 withdraws");
        }
        SaleTable mysql = requireTable();
        ctx.async(() -> {
            CatalogRow row = mysql.changeStock(saleId, units).orElseThrow(() -> new UnknownSaleException(saleId));
            live(saleId, row.version());
            awaitStockPlan(saleId);
            Sale now = catalog.find(saleId).toCompletableFuture().join();
            StockLevel level = catalog.level(now).toCompletableFuture().join();
            ctx.json(Map.of("sale", SaleView.of(now, level, clock.instant()), "wanted", now.stock(), "onSale", level.stock(),
                    "shortfall", Math.max(0, level.stock() - now.stock())));
        });
    }

    /** Waits briefly for the grid to put the wanted units on sale; what it cannot take yet is the shortfall. */
    private void awaitStockPlan(String saleId) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (System.nanoTime() < deadline) {
            Sale sale = catalog.find(saleId).toCompletableFuture().join();
            if (catalog.level(sale).toCompletableFuture().join().stock() == sale.stock()) {
                return;
            }
            Thread.sleep(50);
        }
    }

    /** The sale once the grid has applied {@code version} of its row; 504 if it has not within {@link #CATALOG_WAIT}. */
    private SaleView live(String saleId, long version) throws InterruptedException {
        if (!sync.awaitVersion(saleId, version, CATALOG_WAIT)) {
            throw new ApiError(504, "catalog_behind", "MySQL has the change, but the grid has not applied it within "
                    + CATALOG_WAIT.toSeconds() + " s; it will once the sale-catalog job catches up", Map.of("version", version));
        }
        Sale sale = catalog.find(saleId).toCompletableFuture().join();
        return SaleView.of(sale, catalog.level(sale).toCompletableFuture().join(), clock.instant());
    }

    private SaleTable requireTable() {
        if (table == null) {
            throw ApiError.mysqlNotConfigured();
        }
        return table;
    }

    record StockChange(Integer units) {
    }

    private SaleTable.Revision validate(SaleTable.Revision body) {
        List<String> problems = new ArrayList<>();
        if (body.name() != null && !Limits.isPrintableText(body.name(), Limits.SALE_NAME_LENGTH)) {
            problems.add("name must be 1-" + Limits.SALE_NAME_LENGTH + " characters, not blank, no control characters");
        }
        if (body.price() != null && !Limits.isPrice(body.price())) {
            problems.add("price must be " + Limits.PRICE_RULE);
        }
        if (body.startsAt() != null || body.endsAt() != null) {
            Instant now = clock.instant();
            if (body.endsAt() != null && (body.endsAt().isAfter(now.plus(FURTHEST_END)) || !body.endsAt().isAfter(now))) {
                problems.add("endsAt must be in the future and at most " + FURTHEST_END.toDays() + " days ahead");
            }
            if (body.startsAt() != null && (body.startsAt().isBefore(now.minus(LATEST_BACKDATED_START))
                    || body.startsAt().isAfter(now.plus(FURTHEST_END)))) {
                problems.add("startsAt may be at most " + LATEST_BACKDATED_START.toHours() + " hours in the past and "
                        + FURTHEST_END.toDays() + " days ahead");
            }
            if (body.startsAt() != null && body.endsAt() != null && !body.startsAt().isBefore(body.endsAt())) {
                problems.add("startsAt must be before endsAt");
            }
        }
        if (body.perShopperLimit() != null && (body.perShopperLimit() < 1 || body.perShopperLimit() > Limits.MAX_PER_SHOPPER_LIMIT)) {
            problems.add("perShopperLimit must be 1 to " + Limits.MAX_PER_SHOPPER_LIMIT);
        }
        if (body.paymentWindowSeconds() != null && (body.paymentWindowSeconds() < MIN_PAYMENT_WINDOW.toSeconds()
                || body.paymentWindowSeconds() > MAX_PAYMENT_WINDOW.toSeconds())) {
            problems.add("paymentWindowSeconds must be " + MIN_PAYMENT_WINDOW.toSeconds() + " to " + MAX_PAYMENT_WINDOW.toSeconds());
        }
        if (problems.isEmpty() && body.equals(new SaleTable.Revision(null, null, null, null, null, null, null))) {
            problems.add("name, price, startsAt, endsAt, perShopperLimit, paymentWindowSeconds or paused: say what changes");
        }
        if (!problems.isEmpty()) {
            throw new ApiError(400, "invalid_sale", String.join("; ", problems), Map.of("problems", problems));
        }
        return body.name() == null ? body : new SaleTable.Revision(body.name().strip(), body.price(), body.startsAt(),
                body.endsAt(), body.perShopperLimit(), body.paymentWindowSeconds(), body.paused());
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
