package dev.flashsale.api;

import java.time.Clock;
import java.util.List;

import com.hazelcast.core.HazelcastInstance;
import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;

import dev.flashsale.api.auth.Tokens;
import dev.flashsale.api.demo.DemoTokenController;
import dev.flashsale.api.eventpath.EventPath;
import dev.flashsale.api.eventpath.EventPathController;
import dev.flashsale.api.eventpath.EventPathLedger;
import dev.flashsale.api.eventpath.Heartbeats;
import dev.flashsale.api.eventpath.JobKeeper;
import dev.flashsale.api.health.GridConnection;
import dev.flashsale.api.health.HealthController;
import dev.flashsale.api.http.ErrorMapping;
import dev.flashsale.api.http.JettyErrors;
import dev.flashsale.api.http.Json;
import dev.flashsale.api.orders.OrderController;
import dev.flashsale.api.orders.OrderService;
import dev.flashsale.api.orders.OrderSweep;
import dev.flashsale.api.payments.PaymentController;
import dev.flashsale.api.payments.PaymentService;
import dev.flashsale.api.payments.PaymentSignature;
import dev.flashsale.api.payments.RefundsDue;
import dev.flashsale.api.purchase.PurchaseController;
import dev.flashsale.api.purchase.PurchaseService;
import dev.flashsale.api.reconciliation.OrderLedger;
import dev.flashsale.api.settlement.Settlement;
import dev.flashsale.api.settlement.SettlementLedger;
import dev.flashsale.api.reconciliation.ReconciliationController;
import dev.flashsale.api.sales.CatalogSync;
import dev.flashsale.api.sales.SaleAdminController;
import dev.flashsale.api.sales.SaleCatalog;
import dev.flashsale.api.sales.SaleRecords;
import dev.flashsale.api.sales.SaleTable;
import dev.flashsale.api.sales.SaleController;
import dev.flashsale.grid.Jobs;
import io.javalin.Javalin;
import io.javalin.json.JavalinJackson;

/** The API node's HTTP application over a connected Hazelcast client. Not started: call {@code start()}. */
public final class ApiApp {

    private ApiApp() {
    }

    public static Javalin create(HazelcastInstance hazelcast, Settings settings) {
        return create(hazelcast, settings, Clock.systemUTC());
    }

    // Small pools: MySQL is never on a purchase. Reads serve settlement, the order sweep, the
    // catalog and ops (reconciliation, the event path); writes are ops' changes of sales (the
    // source of truth, carried to the grid by change data capture) and refunds due.
    private static HikariDataSource mysql(Settings settings, boolean readOnly) {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(settings.mysqlUrl());
        config.setUsername(settings.mysqlUser());
        config.setPassword(settings.mysqlPassword());
        config.setMaximumPoolSize(2);
        config.setMinimumIdle(0);
        config.setReadOnly(readOnly);
        config.setPoolName(readOnly ? "mysql-reads" : "mysql-writes");
        // utf8mb4 whatever the server's default: a sale id of any script must not fail the query.
        config.addDataSourceProperty("characterEncoding", "UTF-8");
        config.setInitializationFailTimeout(-1);
        // An ops read while MySQL is down answers 503 within seconds instead of hanging.
        config.setConnectionTimeout(5_000);
        return new HikariDataSource(config);
    }

    public static Javalin create(HazelcastInstance hazelcast, Settings settings, Clock clock) {
        Tokens tokens = new Tokens(settings.jwtSecret(), settings.jwtIssuer(), settings.jwtAudience(), clock);
        HikariDataSource mysql = settings.hasMysql() ? mysql(settings, true) : null;
        HikariDataSource writes = settings.hasMysql() ? mysql(settings, false) : null;
        SaleCatalog catalog = new SaleCatalog(hazelcast, mysql == null ? SaleRecords.NONE : SaleRecords.in(mysql));
        PurchaseService purchases = new PurchaseService(hazelcast, catalog, clock);
        GridConnection grid = new GridConnection(hazelcast);
        OrderLedger orders = mysql == null ? null : new OrderLedger(mysql);
        EventPathLedger eventPathLedger = mysql == null ? null : new EventPathLedger(mysql);
        EventPath eventPath = mysql == null ? null : new EventPath(hazelcast, eventPathLedger, clock);
        Heartbeats heartbeats = new Heartbeats(hazelcast, clock);
        JobKeeper keeper = new JobKeeper(hazelcast, List.of(Jobs.OUTBOX, Jobs.ORDERS, Jobs.CATALOG), JobKeeper.PERIOD);
        SettlementLedger settlementLedger = mysql == null ? null : new SettlementLedger(mysql);
        Settlement settlement = mysql == null ? null : new Settlement(hazelcast, settlementLedger, clock);
        OrderService orderService = new OrderService(hazelcast, catalog, clock);
        OrderSweep sweep = new OrderSweep(hazelcast, orderService, settlementLedger, clock);
        PaymentSignature signature = new PaymentSignature(settings.paymentSecret(), settings.paymentTolerance(), clock);
        PaymentService payments = new PaymentService(signature, orderService,
                writes == null ? null : new RefundsDue(writes));
        SaleTable saleTable = writes == null ? null : new SaleTable(writes);
        CatalogSync catalogSync = new CatalogSync(hazelcast, catalog, saleTable, settlementLedger, clock);

        return Javalin.create(config -> {
            config.jetty.host = settings.httpHost();
            config.jetty.port = settings.httpPort();
            config.http.maxRequestSize = 16 * 1024;
            // Jetty caches header fields per connection for browsers that repeat them; every
            // purchase carries its own token and Idempotency-Key, so the cache only fills up and
            // is cleared again (a quarter of the CPU on the purchase path in a profile): off.
            config.jetty.modifyHttpConfiguration(http -> http.setHeaderCacheSize(0));
            config.jetty.modifyServer(server -> server.setErrorHandler(new JettyErrors()));
            config.jsonMapper(new JavalinJackson(Json.MAPPER, false));
            config.startup.showJavalinBanner = false;

            new ErrorMapping().register(config.routes);
            // Every request's body is read (at most maxRequestSize, else 413) before anything
            // answers, including routes that take no body and unknown ones: a server that answers
            // and closes with a body still unread resets the connection, and the client loses
            // the answer. Handlers that parse the body get these same bytes.
            config.routes.before(ctx -> ctx.bodyAsBytes());
            new HealthController(grid, clock).register(config.routes);
            new SaleController(catalog, clock).register(config.routes);
            new PurchaseController(purchases, tokens).register(config.routes);
            new OrderController(orderService, tokens).register(config.routes);
            new PaymentController(payments, signature, orderService, catalog, tokens, clock)
                    .register(config.routes, settings.demoEnabled());
            new SaleAdminController(catalog, saleTable, catalogSync, tokens, clock).register(config.routes);
            new ReconciliationController(catalog, purchases, orders, eventPathLedger, eventPath, tokens).register(config.routes);
            new EventPathController(eventPath, eventPathLedger, tokens).register(config.routes);
            // The event path's watch runs while the node serves: a heartbeat every 5 s, and
            // the jobs resumed if a failure suspended them.
            // Orders whose payment window ended expire, on every node (see OrderSweep).
            config.events.serverStarted(() -> {
                heartbeats.start();
                keeper.start();
                sweep.start();
                catalogSync.start();
            });
            config.events.serverStopped(() -> {
                heartbeats.close();
                keeper.close();
                sweep.close();
                catalogSync.close();
            });
            if (mysql != null) {
                // Settlement decides claims a crash left unknown, from what MySQL holds.
                config.events.serverStarted(settlement::start);
                config.events.serverStopped(settlement::close);
                config.events.serverStopped(mysql::close);
                config.events.serverStopped(writes::close);
            }
            if (settings.demoEnabled()) {
                new DemoTokenController(tokens, settings.tokenTtl()).register(config.routes);
            }
        });
    }
}
