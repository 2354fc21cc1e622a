package dev.flashsale.api.purchase;

import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Pattern;

import dev.flashsale.api.auth.Caller;
import dev.flashsale.api.auth.Tokens;
import dev.flashsale.api.http.ApiError;
import dev.flashsale.api.http.ErrorBody;
import dev.flashsale.api.http.Json;
import dev.flashsale.purchase.Purchases;
import dev.flashsale.sale.Limits;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;

/** A shopper's purchases: buy units of a sale, see one's orders in it. */
public final class PurchaseController {

    static final String IDEMPOTENCY_KEY = "Idempotency-Key";
    private static final Pattern KEY_FORMAT = Pattern.compile("[\\x21-\\x7E]{1,100}");

    private final PurchaseService purchases;
    private final Tokens tokens;

    public PurchaseController(PurchaseService purchases, Tokens tokens) {
        this.purchases = purchases;
        this.tokens = tokens;
    }

    public void register(RoutesConfig routes) {
        routes.post("/api/sales/{saleId}/purchases", this::purchase);
        routes.get("/api/sales/{saleId}/purchases", this::mine);
    }

    private void purchase(Context ctx) {
        Caller shopper = tokens.shopper(ctx);
        String saleId = ctx.pathParam("saleId");
        String key = ctx.header(IDEMPOTENCY_KEY);
        if (key == null || !KEY_FORMAT.matcher(key).matches()) {
            throw ApiError.badRequest("invalid_idempotency_key",
                    "send an " + IDEMPOTENCY_KEY + " header of 1-100 printable characters, the same for every retry of this purchase");
        }
        Integer quantity = Json.body(ctx, PurchaseRequest.class).quantity();
        if (quantity == null || quantity < 1 || quantity > Limits.MAX_QUANTITY) {
            throw ApiError.badRequest("invalid_quantity", "quantity must be a whole number from 1 to the sale's per-shopper limit");
        }
        CompletableFuture<PurchaseOutcome> outcome = purchases.purchase(shopper.id(), saleId, quantity, key).toCompletableFuture();
        if (outcome.isDone() && !outcome.isCompletedExceptionally()) {
            // Answered without waiting for the grid (a sold-out sale, from memory): no need to
            // suspend the request and resume it on another thread.
            render(ctx, outcome.join());
        } else {
            ctx.future(() -> outcome.thenAccept(answer -> render(ctx, answer)));
        }
    }

    private void mine(Context ctx) {
        Caller shopper = tokens.shopper(ctx);
        String saleId = ctx.pathParam("saleId");
        ctx.future(() -> purchases.ordersOf(shopper.id(), saleId)
                .thenAccept(orders -> ctx.json(Arrays.stream(orders.orders()).map(order -> OrderView.of(saleId, order)).toList()))
                .toCompletableFuture());
    }

    private static void render(Context ctx, PurchaseOutcome outcome) {
        if (outcome instanceof PurchaseOutcome.Won won) {
            ctx.status(201).json(OrderView.of(won.saleId(), won.order()));
        } else if (outcome instanceof PurchaseOutcome.AlreadyPurchased already) {
            ctx.status(409).json(ErrorBody.of("already_purchased",
                    "you already hold this sale's per-shopper limit", Map.of("orderId", already.orderId())));
        } else if (outcome instanceof PurchaseOutcome.TooManyGivenBack) {
            ctx.status(409).json(ErrorBody.of("too_many_orders_given_back",
                    "you cancelled or let expire " + Purchases.MAX_GIVEN_BACK + " orders of this sale; you cannot order again in it"));
        } else if (outcome instanceof PurchaseOutcome.SoldOut) {
            ctx.status(410).json(ErrorBody.of("sold_out", "the sale is sold out"));
        } else if (outcome instanceof PurchaseOutcome.NotEnoughStock notEnough) {
            ctx.status(409).json(ErrorBody.of("not_enough_stock",
                    "fewer units are left in any one place than you asked for; try a smaller quantity",
                    Map.of("available", notEnough.mostInOneBucket())));
        } else if (outcome instanceof PurchaseOutcome.Pending pending) {
            ctx.status(409).header("Retry-After", "2").json(ErrorBody.of("purchase_pending",
                    "an earlier try of this purchase is still being settled; retry with the same Idempotency-Key in a few seconds",
                    Map.of("orderId", pending.orderId())));
        } else if (outcome instanceof PurchaseOutcome.Busy) {
            ctx.status(503).header("Retry-After", "1").json(ErrorBody.of("sale_busy",
                    "the sale is catching up on its orders; retry with the same Idempotency-Key in a second"));
        } else if (outcome instanceof PurchaseOutcome.KeyReused reused) {
            ctx.status(422).json(ErrorBody.of("idempotency_key_reused",
                    "this Idempotency-Key was used for a different quantity", Map.of("orderId", reused.orderId())));
        } else {
            throw new IllegalStateException("unmapped purchase outcome " + outcome);
        }
    }
}
