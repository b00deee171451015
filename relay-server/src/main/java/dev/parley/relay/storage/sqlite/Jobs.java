package dev.parley.relay.storage.sqlite;

import dev.parley.relay.RelayException;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

/** Waiting on writer futures from request threads (virtual threads, so blocking is cheap). */
final class Jobs {
    private Jobs() {
    }

    static <T> T await(CompletableFuture<T> future) {
        try {
            return future.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for the database", e);
        } catch (ExecutionException e) {
            throw unwrap(e.getCause());
        }
    }

    static RuntimeException unwrap(Throwable failure) {
        Throwable cause = failure instanceof CompletionException && failure.getCause() != null
                ? failure.getCause() : failure;
        if (cause instanceof RelayException relay) {
            return relay;
        }
        if (cause instanceof RuntimeException runtime) {
            return runtime;
        }
        return new IllegalStateException(cause);
    }
}
