package dev.flashsale.api.sales;

import java.time.Clock;
import java.util.Comparator;
import java.util.List;

import dev.flashsale.sale.Sale;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;

/** What shoppers read: the sales, with remaining stock and status. */
public final class SaleController {

    private final SaleCatalog catalog;
    private final Clock clock;

    public SaleController(SaleCatalog catalog, Clock clock) {
        this.catalog = catalog;
        this.clock = clock;
    }

    public void register(RoutesConfig routes) {
        routes.get("/api/sales", this::list);
        routes.get("/api/sales/{saleId}", this::show);
    }

    private void list(Context ctx) {
        ctx.async(() -> {
            List<SaleView> views = catalog.all().stream()
                    .sorted(Comparator.comparingLong(Sale::startsAtMillis).thenComparing(Sale::id))
                    .map(sale -> SaleView.of(sale, catalog.level(sale).toCompletableFuture().join(), clock.instant()))
                    .toList();
            ctx.json(views);
        });
    }

    private void show(Context ctx) {
        String saleId = ctx.pathParam("saleId");
        ctx.future(() -> catalog.find(saleId)
                .thenCompose(sale -> catalog.level(sale).thenAccept(level -> ctx.json(SaleView.of(sale, level, clock.instant()))))
                .toCompletableFuture());
    }
}
