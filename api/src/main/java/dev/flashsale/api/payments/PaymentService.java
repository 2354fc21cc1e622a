package dev.flashsale.api.payments;

import java.io.IOException;
import java.math.BigDecimal;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectReader;

import dev.flashsale.api.http.ApiError;
import dev.flashsale.api.http.Json;
import dev.flashsale.api.orders.OrderService;
import dev.flashsale.purchase.Ending;
import dev.flashsale.purchase.ShopperKey;
import dev.flashsale.sale.Limits;

/**
 * Takes payment notifications: checks the signature, then pays the order, exactly once per
 * payment. A payment that buys nothing (the order expired or was cancelled first, the order was
 * paid by another payment, the amount is not the order's, the shopper has no such order) is
 * recorded as a refund due, never as a sale. Every answer is final for the provider except {@code Pending}: it sends that one
 * again, and a notification sent again is answered as the first was.
 */
public final class PaymentService {

    /** Writes refunds due: blocking JDBC, kept off the grid's callback threads. */
    private static final Executor REFUNDS = Executors.newFixedThreadPool(2, task -> {
        Thread thread = new Thread(task, "refunds-due");
        thread.setDaemon(true);
        return thread;
    });
    // A provider may add fields to its notifications: ignore those, check the ones we use.
    private static final ObjectReader NOTIFICATION = Json.MAPPER.readerFor(PaymentNotification.class)
            .without(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    private final PaymentSignature signature;
    private final OrderService orders;
    private final RefundsDue refunds;

    /** @param refunds where refunds due are recorded; null on a node without MySQL (it then answers 503 for them) */
    public PaymentService(PaymentSignature signature, OrderService orders, RefundsDue refunds) {
        this.signature = signature;
        this.orders = orders;
        this.refunds = refunds;
    }

    /** A notification as it arrived: its raw body (what the signature covers) and its signature header. */
    public CompletionStage<PaymentOutcome> receive(byte[] body, String signatureHeader) {
        PaymentOutcome refused = switch (signature.verify(signatureHeader, body)) {
            case VALID -> null;
            case MISSING -> new PaymentOutcome.Refused(400, "signature_missing",
                    "send the " + PaymentSignature.HEADER + " header the payment provider computed");
            case MALFORMED -> new PaymentOutcome.Refused(400, "signature_malformed",
                    PaymentSignature.HEADER + " must read t=<unix seconds>,v1=<64 hex digits>");
            case WRONG -> new PaymentOutcome.Refused(401, "signature_invalid", "the signature does not match the body");
            case STALE -> new PaymentOutcome.Refused(401, "signature_stale",
                    "the notification was signed too long ago (or ahead); it is not accepted again");
        };
        if (refused != null) {
            return CompletableFuture.completedFuture(refused);
        }
        PaymentNotification payment;
        try {
            payment = NOTIFICATION.readValue(body);
        } catch (IOException e) {
            payment = null;
        }
        if (payment == null) {
            return CompletableFuture.completedFuture(new PaymentOutcome.Refused(400, "malformed_notification",
                    "the notification is not a JSON object of a payment"));
        }
        List<String> problems = problemsOf(payment);
        if (!problems.isEmpty()) {
            return CompletableFuture.completedFuture(new PaymentOutcome.Refused(400, "invalid_notification",
                    String.join("; ", problems)));
        }
        PaymentNotification checked = payment;
        return orders.pay(new ShopperKey(payment.saleId(), payment.shopperId()), payment.orderId(), payment.paymentId(),
                        payment.amount())
                .thenCompose(ending -> outcome(checked, ending));
    }

    private CompletionStage<PaymentOutcome> outcome(PaymentNotification payment, Ending ending) {
        return switch (ending.outcome()) {
            case DONE -> CompletableFuture.completedFuture(new PaymentOutcome.Paid(payment.orderId()));
            case PENDING -> CompletableFuture.completedFuture(new PaymentOutcome.Pending(payment.orderId()));
            case WRONG_AMOUNT -> refundDue(payment, "amount_mismatch");
            case REFUSED -> refundDue(payment, switch (ending.order().status()) {
                case PAID -> "paid_by_another_payment";
                case CANCELLED -> "order_cancelled";
                default -> "order_expired";
            });
            case UNKNOWN -> refundDue(payment, "unknown_order");
        };
    }

    private CompletionStage<PaymentOutcome> refundDue(PaymentNotification payment, String reason) {
        if (refunds == null) {
            return CompletableFuture.failedFuture(ApiError.mysqlNotConfigured());
        }
        return CompletableFuture.supplyAsync(() -> {
            try {
                refunds.record(payment, reason);
                return new PaymentOutcome.RefundDue(payment.orderId(), reason);
            } catch (SQLException e) {
                throw new CompletionException(e);
            }
        }, REFUNDS);
    }

    private static List<String> problemsOf(PaymentNotification payment) {
        List<String> problems = new ArrayList<>();
        text(problems, "paymentId", payment.paymentId(), Limits.PAYMENT_ID_LENGTH);
        text(problems, "orderId", payment.orderId(), Limits.ORDER_ID_LENGTH);
        text(problems, "saleId", payment.saleId(), Limits.SALE_ID_LENGTH);
        text(problems, "shopperId", payment.shopperId(), Limits.SHOPPER_ID_LENGTH);
        if (payment.amount() == null || !Limits.isPrice(payment.amount()) || payment.amount().compareTo(BigDecimal.ZERO) <= 0) {
            problems.add("amount must be a positive amount, " + Limits.PRICE_RULE);
        }
        if (payment.paidAt() == null || !Limits.isStorableTime(payment.paidAt())) {
            problems.add("paidAt must be a time from " + Limits.EARLIEST_TIME + " to " + Limits.LATEST_TIME);
        }
        return problems;
    }

    private static void text(List<String> problems, String field, String value, int maxLength) {
        if (!Limits.isStorableText(value, maxLength)) {
            problems.add(field + " must be 1 to " + maxLength + " characters of well-formed text");
        }
    }
}
