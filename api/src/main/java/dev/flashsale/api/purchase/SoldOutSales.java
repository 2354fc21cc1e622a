package dev.flashsale.api.purchase;

import java.time.Duration;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.function.Function;

/**
 * The sales this API node saw sold out (every bucket answered 0), remembered for a short time,
 * with the shoppers who held a claim in each when it sold out. It only ever makes a purchase
 * ask less of the grid; the grid stays the judge.
 *
 * <p>Why a shopper outside that set can be told "sold out" from memory: an order claims its
 * units on the shopper's entry before it takes stock, so every order that took stock had its
 * claim in place before the last unit went, and so before this node saw every bucket empty
 * and asked for the claimants. Once the buckets are empty no new order can take stock, so a
 * shopper without a claim then has no order, and a retry of theirs has nothing to find. A
 * shopper with a claim (a winner retrying, an order still pending) is still sent to the grid.
 * The memory lapses, so stock that comes back is found by the next full attempt; each time
 * the node sees the sale sold out again it asks for the claimants again.
 */
final class SoldOutSales {

    /** When the node stops trusting it saw the sale sold out, and who held claims then (loading, or failed: ask the grid). */
    private record SoldOut(long untilNanos, CompletableFuture<Set<String>> claimants) {
    }

    private final long rememberNanos;
    private final Function<String, Set<String>> claimantsOf;
    private final Executor loader;
    private final ConcurrentHashMap<String, SoldOut> sales = new ConcurrentHashMap<>();

    /**
     * @param claimantsOf the ids of the shoppers holding a claim in a sale, read from the grid
     *                    (blocking: it runs on {@code loader})
     */
    SoldOutSales(Duration remember, Function<String, Set<String>> claimantsOf, Executor loader) {
        this.rememberNanos = remember.toNanos();
        this.claimantsOf = claimantsOf;
        this.loader = loader;
    }

    void saw(String saleId) {
        long until = System.nanoTime() + rememberNanos;
        sales.compute(saleId, (id, known) -> known != null && isFresh(known)
                ? new SoldOut(until, known.claimants())
                : new SoldOut(until, CompletableFuture.supplyAsync(() -> claimantsOf.apply(id), loader)));
    }

    boolean isSoldOut(String saleId) {
        SoldOut known = sales.get(saleId);
        return known != null && isFresh(known);
    }

    /** Whether the sale is sold out and this shopper held no claim in it: "sold out" needs no grid call. */
    boolean isSoldOutFor(String saleId, String shopperId) {
        SoldOut known = sales.get(saleId);
        if (known == null || !isFresh(known)) {
            return false;
        }
        CompletableFuture<Set<String>> claimants = known.claimants();
        return claimants.isDone() && !claimants.isCompletedExceptionally() && !claimants.join().contains(shopperId);
    }

    private static boolean isFresh(SoldOut known) {
        return System.nanoTime() - known.untilNanos() < 0;
    }
}
