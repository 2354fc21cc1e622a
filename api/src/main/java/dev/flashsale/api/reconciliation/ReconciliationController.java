package dev.flashsale.api.reconciliation;

import java.util.Map;

import dev.flashsale.api.auth.Tokens;
import dev.flashsale.api.http.ApiError;
import dev.flashsale.api.sales.SaleCatalog;
import dev.flashsale.sale.Sale;
import dev.flashsale.stock.StockLevel;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;

/** Ops' check of conservation for one sale: grid against MySQL. Needs an admin token. */
public final class ReconciliationController {

    private final SaleCatalog catalog;
    private final OrderLedger ledger;
    private final Tokens tokens;

    /** {@code ledger} may be null when no MySQL is configured: the endpoint then answers 503. */
    public ReconciliationController(SaleCatalog catalog, OrderLedger ledger, Tokens tokens) {
        this.catalog = catalog;
        this.ledger = ledger;
        this.tokens = tokens;
    }

    public void register(RoutesConfig routes) {
        routes.get("/admin/sales/{saleId}/reconciliation", this::reconcile);
    }

    private void reconcile(Context ctx) {
        tokens.admin(ctx);
        if (ledger == null) {
            throw new ApiError(503, "mysql_not_configured", "this API node has no mysql.url; it cannot read the orders", Map.of());
        }
        String saleId = ctx.pathParam("saleId");
        ctx.async(() -> {
            Sale sale = catalog.find(saleId).toCompletableFuture().join();
            StockLevel grid = catalog.level(sale).toCompletableFuture().join();
            ctx.json(Reconciliation.of(saleId, grid, ledger.totals(saleId)));
        });
    }
}
