package dev.flashsale.api;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.flashsale.api.http.Json;

/** Talks to a running API node over real HTTP, as a shopper's browser or an ops script would. */
public final class ShopClient {

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final String base;

    public ShopClient(int port) {
        this.base = "http://127.0.0.1:" + port;
    }

    public String baseUrl() {
        return base;
    }

    /** An answer: status and parsed JSON body. */
    public record Answer(int status, JsonNode body) {
        public String text(String field) {
            return body.path(field).asText(null);
        }
    }

    public String shopperToken(String shopperId) {
        return send(post("/demo/tokens", null, "{\"shopperId\":\"" + shopperId + "\"}")).text("token");
    }

    public Answer createSale(String adminToken, String saleId, int stock, int buckets, int limit, Instant startsAt) {
        return createSale(adminToken, saleId, stock, buckets, limit, startsAt, 900);
    }

    public Answer createSale(String adminToken, String saleId, int stock, int buckets, int limit, Instant startsAt,
                             long paymentWindowSeconds) {
        ObjectNode body = Json.MAPPER.createObjectNode()
                .put("id", saleId).put("name", "Sale " + saleId).put("price", "19.99")
                .put("stock", stock).put("buckets", buckets).put("perShopperLimit", limit)
                .put("startsAt", startsAt.toString()).put("endsAt", startsAt.plusSeconds(3600).toString())
                .put("paymentWindowSeconds", paymentWindowSeconds);
        return send(post("/admin/sales", adminToken, body.toString()));
    }

    /** Cancels an order as its shopper. */
    public Answer cancel(String token, String orderId) {
        return send(builder("/api/orders/" + orderId, token).DELETE().build());
    }

    /** Pays an order as its shopper, in demo mode (a signed notification down the callback's path). */
    public Answer payInDemo(String token, String orderId) {
        return send(post("/demo/orders/" + orderId + "/pay", token, ""));
    }

    /** The payment provider's callback: {@code body} as sent, with its signature header (none if null). */
    public Answer paymentCallback(String body, String signature) {
        HttpRequest.Builder request = builder("/payments/callback", null).POST(HttpRequest.BodyPublishers.ofString(body));
        if (signature != null) {
            request.header("Payment-Signature", signature);
        }
        return send(request.build());
    }

    public Answer purchase(String token, String saleId, int quantity, String idempotencyKey) {
        return send(purchaseRequest(token, saleId, "{\"quantity\":" + quantity + "}", idempotencyKey));
    }

    public CompletableFuture<Answer> purchaseAsync(String token, String saleId, int quantity, String idempotencyKey) {
        return http.sendAsync(purchaseRequest(token, saleId, "{\"quantity\":" + quantity + "}", idempotencyKey),
                HttpResponse.BodyHandlers.ofString()).thenApply(ShopClient::answer);
    }

    public HttpRequest purchaseRequest(String token, String saleId, String body, String idempotencyKey) {
        HttpRequest.Builder request = builder("/api/sales/" + saleId + "/purchases", token)
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (idempotencyKey != null) {
            request.header("Idempotency-Key", idempotencyKey);
        }
        return request.build();
    }

    public Answer get(String path) {
        return get(path, null);
    }

    public Answer get(String path, String token) {
        return send(builder(path, token).GET().build());
    }

    public Answer delete(String path) {
        return send(builder(path, null).DELETE().build());
    }

    public Answer send(HttpRequest request) {
        try {
            return answer(http.send(request, HttpResponse.BodyHandlers.ofString()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    public HttpRequest post(String path, String token, String body) {
        return builder(path, token).POST(HttpRequest.BodyPublishers.ofString(body)).build();
    }

    private HttpRequest.Builder builder(String path, String token) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(base + path))
                .timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/json");
        if (token != null) {
            builder.header("Authorization", "Bearer " + token);
        }
        return builder;
    }

    private static Answer answer(HttpResponse<String> response) {
        try {
            JsonNode body = response.body().isEmpty() ? Json.MAPPER.nullNode() : Json.MAPPER.readTree(response.body());
            return new Answer(response.statusCode(), body);
        } catch (IOException e) {
            throw new AssertionError("not JSON (" + response.statusCode() + "): " + response.body(), e);
        }
    }
}
