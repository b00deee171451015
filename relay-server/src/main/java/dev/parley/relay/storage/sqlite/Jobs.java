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
        if (!future.isDone() && SqliteWriter.onWriterThread()) {
            // An after-commit action (fan-out, or a transport callback it triggered) must not wait for a write:
            // only this thread could run it. Fail loudly instead of stopping every write of the relay for good.
            throw new IllegalStateException("a database write was awaited on the writer thread itself");
        }
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
