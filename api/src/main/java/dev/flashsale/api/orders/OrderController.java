package dev.flashsale.api.orders;

import java.util.Map;
import java.util.regex.Pattern;

import dev.flashsale.api.auth.Caller;
import dev.flashsale.api.auth.Tokens;
import dev.flashsale.api.http.ApiError;
import dev.flashsale.api.http.ErrorBody;
import dev.flashsale.api.purchase.OrderView;
import dev.flashsale.purchase.Ending;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;

/** A shopper's own orders: read one, cancel one. Anyone else's order is unknown to them. */
public final class OrderController {

    /** Order ids are UUIDs: anything else names no order, and is refused before the grid is asked. */
    static final Pattern ORDER_ID = Pattern.compile("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");

    private final OrderService orders;
    private final Tokens tokens;

    public OrderController(OrderService orders, Tokens tokens) {
        this.orders = orders;
        this.tokens = tokens;
    }

    public void register(RoutesConfig routes) {
        routes.get("/api/orders/{orderId}", this::show);
        routes.delete("/api/orders/{orderId}", this::cancel);
    }

    private void show(Context ctx) {
        Caller shopper = tokens.shopper(ctx);
        ShopperOrder found = orders.find(shopper.id(), orderId(ctx)).orElseThrow(OrderController::unknown);
        ctx.json(OrderView.of(found.saleId(), found.order()));
    }

    private void cancel(Context ctx) {
        Caller shopper = tokens.shopper(ctx);
        ShopperOrder found = orders.find(shopper.id(), orderId(ctx)).orElseThrow(OrderController::unknown);
        Ending ending = orders.cancel(found);
        switch (ending.outcome()) {
            case DONE -> ctx.json(OrderView.of(found.saleId(), ending.order()));
            case REFUSED -> ctx.status(409).json(ErrorBody.of("order_not_cancellable",
                    "the order is " + ending.order().status() + " and can no longer be cancelled",
                    Map.of("status", ending.order().status().name())));
            case WRONG_AMOUNT -> throw new IllegalStateException("a cancel has no amount");
            case PENDING -> ctx.status(409).header("Retry-After", "2").json(ErrorBody.of("purchase_pending",
                    "the purchase of this order is still being settled; retry in a few seconds"));
            case UNKNOWN -> throw unknown();
        }
    }

    private static String orderId(Context ctx) {
        String orderId = ctx.pathParam("orderId");
        if (!ORDER_ID.matcher(orderId).matches()) {
            throw ApiError.badRequest("invalid_order_id", "an order id is a UUID in lower case, as the purchase answered it");
        }
        return orderId;
    }

    private static ApiError unknown() {
        return ApiError.notFound("order_not_found", "you have no order with this id");
    }
}
