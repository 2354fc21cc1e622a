package dev.flashsale.api.payments;

import java.math.BigDecimal;
import java.time.Clock;
import java.util.Map;
import java.util.concurrent.CompletionStage;

import dev.flashsale.api.auth.Caller;
import dev.flashsale.api.auth.Tokens;
import dev.flashsale.api.http.ApiError;
import dev.flashsale.api.http.ErrorBody;
import dev.flashsale.api.http.Json;
import dev.flashsale.api.orders.OrderService;
import dev.flashsale.api.orders.ShopperOrder;
import dev.flashsale.api.sales.SaleCatalog;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;

/**
 * The payment provider's callback, {@code POST /payments/callback}, answered as providers
 * expect: 2xx once the payment is recorded (paid, or a refund due), 4xx for a notification
 * refused for good (signature, time, content), 409 while the order is still being settled (the
 * provider sends it again). In demo mode, {@code POST /demo/orders/{orderId}/pay} lets a shopper
 * pay their own order: it signs a notification as a provider would and sends it down the same
 * path.
 */
public final class PaymentController {

    private final PaymentService payments;
    private final PaymentSignature signature;
    private final OrderService orders;
    private final SaleCatalog catalog;
    private final Tokens tokens;
    private final Clock clock;

    public PaymentController(PaymentService payments, PaymentSignature signature, OrderService orders, SaleCatalog catalog,
                             Tokens tokens, Clock clock) {
        this.payments = payments;
        this.signature = signature;
        this.orders = orders;
        this.catalog = catalog;
        this.tokens = tokens;
        this.clock = clock;
    }

    public void register(RoutesConfig routes, boolean demo) {
        routes.post("/payments/callback", this::callback);
        if (demo) {
            routes.post("/demo/orders/{orderId}/pay", this::payInDemo);
        }
    }

    private void callback(Context ctx) {
        answer(ctx, payments.receive(ctx.bodyAsBytes(), ctx.header(PaymentSignature.HEADER)));
    }

    /** The demo's stand-in for a provider's checkout: the order's own shopper pays it in full, once ("demo-" + order id). */
    private void payInDemo(Context ctx) {
        Caller shopper = tokens.shopper(ctx);
        ShopperOrder found = orders.find(shopper.id(), ctx.pathParam("orderId"))
                .orElseThrow(() -> ApiError.notFound("order_not_found", "you have no order with this id"));
        BigDecimal price = catalog.find(found.saleId()).toCompletableFuture().join().price();
        PaymentNotification payment = new PaymentNotification("demo-" + found.order().orderId(), found.order().orderId(),
                found.saleId(), shopper.id(), price.multiply(BigDecimal.valueOf(found.order().quantity())), clock.instant());
        byte[] body;
        try {
            body = Json.MAPPER.writeValueAsBytes(payment);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("cannot write a payment notification", e);
        }
        answer(ctx, payments.receive(body, signature.signNow(body)));
    }

    private static void answer(Context ctx, CompletionStage<PaymentOutcome> outcome) {
        ctx.future(() -> outcome.thenAccept(answer -> render(ctx, answer)).toCompletableFuture());
    }

    private static void render(Context ctx, PaymentOutcome outcome) {
        if (outcome instanceof PaymentOutcome.Paid paid) {
            ctx.json(Map.of("result", "paid", "orderId", paid.orderId()));
        } else if (outcome instanceof PaymentOutcome.RefundDue refund) {
            ctx.json(Map.of("result", "refund_due", "orderId", refund.orderId(), "reason", refund.reason()));
        } else if (outcome instanceof PaymentOutcome.Pending pending) {
            ctx.status(409).header("Retry-After", "5").json(ErrorBody.of("order_pending",
                    "the order's purchase is still being settled; send the notification again in a few seconds",
                    Map.of("orderId", pending.orderId())));
        } else if (outcome instanceof PaymentOutcome.Refused refused) {
            ctx.status(refused.status()).json(ErrorBody.of(refused.code(), refused.message()));
        } else {
            throw new IllegalStateException("unmapped payment outcome " + outcome);
        }
    }
}
