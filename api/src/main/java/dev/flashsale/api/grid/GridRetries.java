package dev.flashsale.api.grid;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import com.hazelcast.client.HazelcastClientOfflineException;
import com.hazelcast.core.HazelcastInstanceNotActiveException;
import com.hazelcast.core.IndeterminateOperationState;
import com.hazelcast.spi.exception.RetryableException;
import com.hazelcast.spi.exception.TargetDisconnectedException;

/**
 * Resends grid calls that failed because a member died or a connection broke: the call may
 * or may not have run. Only for calls that are idempotent, as every read and every entry
 * processor the API sends is. Every grid call of the API goes through here.
 */
public final class GridRetries {

    private static final int ATTEMPTS = 30;
    private static final Executor BACKOFF = CompletableFuture.delayedExecutor(200, TimeUnit.MILLISECONDS);

    private GridRetries() {
    }

    /** Runs {@code first}; while it fails with a member or connection loss, runs {@code retry}, up to ~6 s. */
    public static <T> CompletionStage<T> withRetries(Supplier<CompletionStage<T>> first, Supplier<CompletionStage<T>> retry) {
        return attempt(first, retry, ATTEMPTS);
    }

    public static <T> CompletionStage<T> withRetries(Supplier<CompletionStage<T>> call) {
        return attempt(call, call, ATTEMPTS);
    }

    /** Whether the failure is the grid being unreachable (a member or connection lost), not a bug. */
    public static boolean isUnreachable(Throwable failure) {
        Throwable cause = failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
        return cause instanceof TargetDisconnectedException
                || cause instanceof RetryableException
                || cause instanceof IndeterminateOperationState
                || cause instanceof HazelcastInstanceNotActiveException
                || cause instanceof HazelcastClientOfflineException;
    }

    /**
     * The result is a plain {@link CompletableFuture}, so what the caller chains on it runs on
     * the thread that completes it. Hazelcast runs a callback on its future in the common pool
     * (never on its own I/O threads, where a callback that blocks, as serializing a new Compact
     * schema does, would deadlock the client); chaining further stages on Hazelcast's futures
     * hands each of them to the pool again, so a purchase's three calls cost twice as many
     * thread hand-offs. An answer already there (a near-cache hit) is taken without any.
     */
    private static <T> CompletionStage<T> attempt(Supplier<CompletionStage<T>> call, Supplier<CompletionStage<T>> retry, int left) {
        CompletableFuture<T> result = new CompletableFuture<>();
        CompletableFuture<T> sent = call.get().toCompletableFuture();
        if (sent.isDone() && !sent.isCompletedExceptionally()) {
            result.complete(sent.join());
            return result;
        }
        sent.whenComplete((value, failure) -> {
            if (failure == null) {
                result.complete(value);
            } else if (left <= 1 || !isUnreachable(failure)) {
                result.completeExceptionally(failure);
            } else {
                CompletableFuture.runAsync(() -> { }, BACKOFF)
                        .thenCompose(ignored -> attempt(retry, retry, left - 1))
                        .whenComplete((retried, failedAgain) -> {
                            if (failedAgain == null) {
                                result.complete(retried);
                            } else {
                                result.completeExceptionally(failedAgain);
                            }
                        });
            }
        });
        return result;
    }
}
