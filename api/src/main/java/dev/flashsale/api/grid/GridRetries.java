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
 * or may not have run. Only for calls that are idempotent, as every entry processor the API
 * sends is.
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

    private static <T> CompletionStage<T> attempt(Supplier<CompletionStage<T>> call, Supplier<CompletionStage<T>> retry, int left) {
        return call.get().handle((value, failure) -> {
            if (failure == null) {
                return CompletableFuture.completedFuture(value);
            }
            if (left <= 1 || !isUnreachable(failure)) {
                return CompletableFuture.<T>failedFuture(failure);
            }
            return CompletableFuture.supplyAsync(() -> null, BACKOFF)
                    .thenCompose(ignored -> attempt(retry, retry, left - 1));
        }).thenCompose(stage -> stage);
    }
}
