package dev.flashsale.api.reconciliation;

import java.util.Arrays;
import java.util.List;
import java.util.Map;

import dev.flashsale.api.auth.Tokens;
import dev.flashsale.api.eventpath.EventPath;
import dev.flashsale.api.eventpath.EventPathLedger;
import dev.flashsale.api.http.ApiError;
import dev.flashsale.api.purchase.PurchaseService;
import dev.flashsale.api.sales.SaleCatalog;
import dev.flashsale.purchase.Purchase;
import dev.flashsale.purchase.Purchases;
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
    private final PurchaseService purchases;

    /** The ledgers and {@code eventPath} are null when no MySQL is configured: the endpoint then answers 503. */
    public ReconciliationController(SaleCatalog catalog, PurchaseService purchases, OrderLedger ledger, EventPathLedger eventPathLedger,
                                    EventPath eventPath, Tokens tokens) {
        this.catalog = catalog;
        this.purchases = purchases;
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
            Map<Integer, StockLevel> buckets = catalog.levels(sale).toCompletableFuture().join();
            List<Purchases> shoppers = purchases.shoppersIn(saleId);
            List<Purchase> orders = shoppers.stream().flatMap(shopper -> Arrays.stream(shopper.orders())).toList();
            ctx.json(Reconciliation.of(saleId, StockLevel.sum(buckets.values()), orders, ledger.totals(saleId),
                    eventPathLedger.countDeadLetters(saleId), Reconciliation.oversold(buckets, orders),
                    orders.stream().filter(Purchase::isPending).count(),
                    shoppers.stream().filter(shopper -> shopper.unitsHeld() > sale.perShopperLimit()).count(),
                    catalog.journalLosses(sale), eventPath.lag()));
        });
    }
}
