package dev.flashsale.api.reconciliation;

import dev.flashsale.api.auth.Tokens;
import dev.flashsale.api.eventpath.EventPath;
import dev.flashsale.api.eventpath.EventPathLedger;
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
    private final EventPathLedger eventPathLedger;
    private final EventPath eventPath;
    private final Tokens tokens;

    /** The ledgers and {@code eventPath} are null when no MySQL is configured: the endpoint then answers 503. */
    public ReconciliationController(SaleCatalog catalog, OrderLedger ledger, EventPathLedger eventPathLedger,
                                    EventPath eventPath, Tokens tokens) {
        this.catalog = catalog;
        this.ledger = ledger;
        this.eventPathLedger = eventPathLedger;
        this.eventPath = eventPath;
        this.tokens = tokens;
    }

    public void register(RoutesConfig routes) {
        routes.get("/admin/sales/{saleId}/reconciliation", this::reconcile);
    }

    private void reconcile(Context ctx) {
        tokens.admin(ctx);
        if (ledger == null) {
            throw ApiError.mysqlNotConfigured();
        }
        String saleId = ctx.pathParam("saleId");
        ctx.async(() -> {
            Sale sale = catalog.find(saleId).toCompletableFuture().join();
            StockLevel grid = catalog.level(sale).toCompletableFuture().join();
            ctx.json(Reconciliation.of(saleId, grid, ledger.totals(saleId), eventPathLedger.countDeadLetters(saleId), eventPath.lag()));
        });
    }
}
