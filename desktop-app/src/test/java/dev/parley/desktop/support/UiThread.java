package dev.parley.desktop.support;

import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Plays the FX thread for view-model tests: one thread runs the view model's updates (as its executor) and the
 * test's own calls, one at a time, as the app's FX thread does. Without it the network thread's updates and the
 * test's calls would change the same observable list at once.
 */
public final class UiThread implements Executor, AutoCloseable {
    private static final Duration CALL_TIMEOUT = Duration.ofSeconds(30);
    private final ExecutorService thread = Executors.newSingleThreadExecutor(
            Thread.ofPlatform().name("test-ui").daemon(true).factory());

    @Override
    public void execute(Runnable update) {
        thread.execute(update);
    }

    /** Runs on the UI thread and waits; an assertion failing there fails the caller. */
    public void run(Runnable action) {
        call(() -> {
            action.run();
            return null;
        });
    }

    public <T> T call(Callable<T> action) {
        try {
            return thread.submit(action).get(CALL_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException runtime) {
                throw runtime;
            }
            if (e.getCause() instanceof Error error) {
                throw error;
            }
            throw new IllegalStateException(e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (TimeoutException e) {
            throw new AssertionError("the UI thread did not answer within " + CALL_TIMEOUT);
        }
    }

    @Override
    public void close() {
        thread.shutdownNow();
    }
}
