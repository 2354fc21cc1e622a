package dev.flashsale.api.purchase;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;

import dev.flashsale.api.ShopClient;
import dev.flashsale.api.ShopClient.Answer;

/** Many shoppers clicking "buy" at once over real HTTP, a bounded number in flight. */
public final class Crowd {

    public record Click(String shopperId, String token, String idempotencyKey) {
    }

    public record Result(Click click, Answer answer) {
        public int status() {
            return answer.status();
        }
    }

    private Crowd() {
    }

    /** Sends every click once, at most {@code concurrency} at a time. */
    public static List<Result> rush(ShopClient shop, String saleId, List<Click> clicks, int concurrency) throws InterruptedException {
        return rush(shop, saleId, clicks, concurrency, Integer.MAX_VALUE, () -> { });
    }

    /**
     * Sends every click once, at most {@code concurrency} at a time, and runs {@code midway}
     * on its own thread once {@code midwayAfter} answers have come back; a failure of
     * {@code midway} fails the rush once every click is answered.
     */
    public static List<Result> rush(ShopClient shop, String saleId, List<Click> clicks, int concurrency,
                             int midwayAfter, Runnable midway) throws InterruptedException {
        Semaphore inFlight = new Semaphore(concurrency);
        AtomicInteger answered = new AtomicInteger();
        List<Result> results = Collections.synchronizedList(new ArrayList<>());
        List<CompletableFuture<?>> calls = new ArrayList<>();
        AtomicReference<Throwable> midwayFailure = new AtomicReference<>();
        Thread midwayRun = new Thread(midway, "crowd-midway");
        midwayRun.setUncaughtExceptionHandler((thread, failure) -> midwayFailure.set(failure));
        for (Click click : clicks) {
            inFlight.acquire();
            calls.add(shop.purchaseAsync(click.token(), saleId, 1, click.idempotencyKey())
                    .exceptionally(failure -> new Answer(-1, JsonNodeFactory.instance.textNode(failure.toString())))
                    .thenAccept(answer -> {
                        results.add(new Result(click, answer));
                        inFlight.release();
                        if (answered.incrementAndGet() == midwayAfter) {
                            midwayRun.start();
                        }
                    }));
        }
        CompletableFuture.allOf(calls.toArray(CompletableFuture[]::new)).join();
        if (midwayAfter <= clicks.size()) {
            midwayRun.join();
        }
        if (midwayFailure.get() != null) {
            throw new AssertionError("what ran midway failed", midwayFailure.get());
        }
        return List.copyOf(results);
    }
}
