package dev.parley.relay.storage.sqlite;

import dev.parley.protocol.ErrorCode;
import dev.parley.relay.RelayException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The only thread that writes to the database. Jobs queue up while a commit is in progress and the next batch
 * takes all of them into one transaction (group commit): one fsync serves many senders, so durability before the
 * ack costs little throughput. A batch never waits for more work, so a lone request pays no extra latency.
 *
 * <p>What follows a commit (after-commit actions such as fan-out, then completing the jobs' futures, which sends
 * the acks) runs on a second thread, in commit order: under load, queueing a batch's frames for every recipient
 * took a fifth of the writer's time, and the next batch's statements and fsync need not wait for it. Nothing is
 * completed before its batch is durable.
 *
 * <p>Both queues are bounded, so a disk that cannot keep up slows the relay down instead of filling its memory: the
 * writer waits when the after-commit thread is {@value #MAX_COMMITTED_BEHIND} batches behind, and a write offered
 * while {@code maxQueued} jobs or {@code maxQueuedBytes} of their text wait for an answer is refused at once as
 * unavailable (clients retry). An {@link Error} in a job or an after-commit action (out of memory, a stack overflow)
 * fails that job, never the thread: a dead writer would leave every later write waiting for ever.
 */
final class SqliteWriter implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(SqliteWriter.class);
    private static final int MAX_BATCH = 2048;
    /** Far more than the busiest bench step queues (a few hundred jobs per batch), far less than memory allows. */
    static final int MAX_QUEUED = 100_000;
    /**
     * The message text those writes may hold between submission and their answer (including batches committed but not
     * yet fanned out): a count alone lets 100,000 sends of the longest message fill gigabytes.
     */
    static final long MAX_QUEUED_BYTES = 64L << 20;
    private static final int MAX_COMMITTED_BEHIND = 64;
    private static final ThreadLocal<Boolean> WRITER_THREAD = ThreadLocal.withInitial(() -> false);

    private final ConnectionOpener opener;
    /** Replaced by a fresh one after a batch fails: a transaction SQLite broke under it leaves it in no known state. */
    private Connection connection;
    private Savepoints savepoints;
    private final BlockingQueue<Pending<?>> queue;
    private final Thread thread;
    private final BlockingQueue<Committed> committed = new LinkedBlockingQueue<>(MAX_COMMITTED_BEHIND);
    private final Thread afterCommit;
    private final AtomicLong commits = new AtomicLong();
    private final AtomicLong jobs = new AtomicLong();
    private final long maxQueuedBytes;
    /** The declared size of every job from its submission until its answer. */
    private final AtomicLong queuedBytes = new AtomicLong();
    /** Guarded by {@link #lifecycle}: once false, nothing more is queued, so the writer's final drain sees all. */
    private volatile boolean accepting = true;
    private final Object lifecycle = new Object();

    /** Opens the writer's connection (and opens it again after a failed batch). */
    @FunctionalInterface
    interface ConnectionOpener {
        Connection open() throws SQLException;
    }

    SqliteWriter(ConnectionOpener opener) throws SQLException {
        this(opener, MAX_QUEUED, MAX_QUEUED_BYTES);
    }

    SqliteWriter(ConnectionOpener opener, int maxQueued, long maxQueuedBytes) throws SQLException {
        this.opener = opener;
        this.queue = new LinkedBlockingQueue<>(maxQueued);
        this.maxQueuedBytes = maxQueuedBytes;
        this.connection = opener.open();
        this.savepoints = new Savepoints(connection);
        this.thread = Thread.ofPlatform().name("parley-sqlite-writer").daemon(false).unstarted(this::loop);
        this.afterCommit = Thread.ofPlatform().name("parley-sqlite-committed").daemon(false)
                .unstarted(this::completeLoop);
        afterCommit.start();
        thread.start();
    }

    <T> CompletableFuture<T> submit(WriteJob<T> job) {
        return submit(job, 0);
    }

    /** {@code bytes}: about how much memory the job holds until answered (the text it stores); 0 for small jobs. */
    <T> CompletableFuture<T> submit(WriteJob<T> job, long bytes) {
        CompletableFuture<T> future = new CompletableFuture<>();
        synchronized (lifecycle) {
            if (!accepting) {
                future.completeExceptionally(new RelayException(ErrorCode.UNAVAILABLE, "the relay is shutting down"));
            } else if (queuedBytes.get() + bytes > maxQueuedBytes || !queue.offer(new Pending<>(job, future, bytes))) {
                future.completeExceptionally(new RelayException(ErrorCode.UNAVAILABLE,
                        "the relay's storage is falling behind; try again shortly"));
            } else {
                queuedBytes.addAndGet(bytes);
            }
        }
        return future;
    }

    /**
     * True on the writer's threads (the writer and the one completing its batches, where after-commit actions run):
     * waiting there for a write never ends.
     */
    static boolean onWriterThread() {
        return WRITER_THREAD.get();
    }

    long commits() {
        return commits.get();
    }

    long jobs() {
        return jobs.get();
    }

    private void loop() {
        WRITER_THREAD.set(true);
        try {
            while (accepting || !queue.isEmpty()) {
                Pending<?> first = queue.poll(50, TimeUnit.MILLISECONDS);
                if (first == null) {
                    continue;
                }
                // A new list per batch: the after-commit thread still reads the previous one.
                List<Pending<?>> batch = new ArrayList<>();
                batch.add(first);
                queue.drainTo(batch, MAX_BATCH - 1);
                try {
                    runBatch(batch);
                } catch (RuntimeException | Error e) {
                    // Escaped runBatch's own handling (its recovery failed too, e.g. out of memory): the batch was
                    // not handed over, so nothing else will answer it.
                    LOG.error("a batch of {} writes failed outside its transaction", batch.size(), e);
                    handOver(new Committed(batch, new Object[batch.size()], filled(batch.size(),
                            new RelayException(ErrorCode.UNAVAILABLE, "storage failed"))));
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            failRemaining();
            handOver(Committed.END);
        }
    }

    /** Waits while the after-commit thread is far behind: the writer must not outrun it without bound. */
    private void handOver(Committed batch) {
        boolean interrupted = false;
        while (true) {
            try {
                committed.put(batch);
                break;
            } catch (InterruptedException e) {
                // Dropping a committed batch would leave its senders without an answer: hand it over regardless.
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    private void runBatch(List<Pending<?>> batch) {
        Object[] results = new Object[batch.size()];
        Throwable[] failures = new Throwable[batch.size()];
        try {
            savepoints.beginBatch();
            for (int i = 0; i < batch.size(); i++) {
                savepoints.begin();
                try {
                    results[i] = batch.get(i).job().run(connection);
                    savepoints.release();
                } catch (SQLException | RuntimeException | Error e) {
                    savepoints.rollback();
                    failures[i] = e;
                }
            }
            savepoints.commitBatch();
        } catch (SQLException | RuntimeException | Error e) {
            LOG.error("commit of {} jobs failed; none of them is stored", batch.size(), e);
            reopen();
            handOver(new Committed(batch, results, filled(batch.size(),
                    new RelayException(ErrorCode.UNAVAILABLE, "storage failed: " + e.getMessage()))));
            return;
        }
        commits.incrementAndGet();
        jobs.addAndGet(batch.size());
        handOver(new Committed(batch, results, failures));
    }

    private static Throwable[] filled(int size, Throwable failure) {
        Throwable[] all = new Throwable[size];
        Arrays.fill(all, failure);
        return all;
    }

    /** Runs after-commit actions and completes futures, batch by batch in commit order. */
    private void completeLoop() {
        WRITER_THREAD.set(true);
        try {
            while (true) {
                Committed next = committed.take();
                if (next == Committed.END) {
                    return;
                }
                next.complete(queuedBytes);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** A finished batch: each job's result, or the failure that rolled back its savepoint (or the whole batch). */
    private record Committed(List<Pending<?>> batch, Object[] results, Throwable[] failures) {
        static final Committed END = new Committed(List.of(), new Object[0], new Throwable[0]);

        /** Answers every job, each on its own: one that cannot be answered (out of memory) fails alone. */
        void complete(AtomicLong queuedBytes) {
            for (int i = 0; i < batch.size(); i++) {
                Pending<?> pending = batch.get(i);
                try {
                    if (failures[i] == null) {
                        pending.succeed(results[i]);
                    } else {
                        pending.future().completeExceptionally(translate(failures[i]));
                    }
                } catch (RuntimeException | Error e) {
                    LOG.error("answering a write failed", e);
                    pending.future().completeExceptionally(new RelayException(ErrorCode.INTERNAL_ERROR,
                            "storage error"));
                } finally {
                    queuedBytes.addAndGet(-pending.bytes());
                }
            }
        }
    }

    private static Throwable translate(Throwable failure) {
        if (failure instanceof RelayException) {
            return failure;
        }
        LOG.error("write job failed", failure);
        return new RelayException(ErrorCode.INTERNAL_ERROR, "storage error");
    }

    /**
     * After a failed batch, starts again from a new connection (and its own savepoint statements). A full disk or an
     * I/O error at COMMIT makes SQLite roll the transaction back by itself; sqlite-jdbc's rollback then fails and
     * opens no new transaction, and its statements stop working: kept, that connection would commit each later job
     * on its own at RELEASE and then fail the batch's COMMIT, reporting stored writes as lost.
     */
    private void reopen() {
        try {
            savepoints.rollbackBatch();
        } catch (SQLException e) {
            LOG.warn("rollback after the failed batch: {}", e.getMessage());
        }
        try {
            connection.close();
        } catch (SQLException e) {
            LOG.warn("closing the broken writer connection: {}", e.getMessage());
        }
        try {
            Connection fresh = opener.open();
            savepoints = new Savepoints(fresh);
            connection = fresh;
        } catch (SQLException e) {
            // The next batch fails on the closed connection and tries again.
            LOG.error("cannot reopen the database for writing", e);
        }
    }

    private void failRemaining() {
        RelayException failure = new RelayException(ErrorCode.UNAVAILABLE, "the relay is shutting down");
        Pending<?> pending;
        while ((pending = queue.poll()) != null) {
            pending.future().completeExceptionally(failure);
            queuedBytes.addAndGet(-pending.bytes());
        }
    }

    /** Stops taking work, commits everything already queued, then returns. */
    @Override
    public void close() throws InterruptedException {
        synchronized (lifecycle) {
            accepting = false;
        }
        thread.join(TimeUnit.SECONDS.toMillis(30));
        afterCommit.join(TimeUnit.SECONDS.toMillis(30));
        try {
            connection.close();
        } catch (SQLException e) {
            LOG.warn("closing the writer connection failed", e);
        }
    }

    /**
     * A batch is one transaction that takes the write lock when it begins (BEGIN IMMEDIATE), and each of its jobs
     * runs under its own savepoint, so a failing job rolls back alone. Taking the lock up front matters when another
     * process writes (an admin's reset-password): SQLite waits out the busy timeout for a lock taken at BEGIN, but a
     * transaction that first read and then writes fails at once if another writer holds the lock or committed since
     * its read. Between batches the relay holds no lock, so the other process gets its turn. The connection stays in
     * JDBC auto-commit mode: the driver's own transactions would begin the next one right after each commit.
     */
    private static final class Savepoints {
        private final PreparedStatement beginBatch;
        private final PreparedStatement commitBatch;
        private final PreparedStatement rollbackBatch;
        private final PreparedStatement open;
        private final PreparedStatement keep;
        private final PreparedStatement undo;

        Savepoints(Connection connection) throws SQLException {
            beginBatch = connection.prepareStatement("BEGIN IMMEDIATE");
            commitBatch = connection.prepareStatement("COMMIT");
            rollbackBatch = connection.prepareStatement("ROLLBACK");
            open = connection.prepareStatement("SAVEPOINT job");
            keep = connection.prepareStatement("RELEASE job");
            undo = connection.prepareStatement("ROLLBACK TO job");
        }

        void beginBatch() throws SQLException {
            beginBatch.execute();
        }

        void commitBatch() throws SQLException {
            commitBatch.execute();
        }

        /** Ends a transaction a failed batch may have left open; SQLite may have rolled it back already. */
        void rollbackBatch() throws SQLException {
            rollbackBatch.execute();
        }

        void begin() throws SQLException {
            open.execute();
        }

        void release() throws SQLException {
            keep.execute();
        }

        void rollback() throws SQLException {
            undo.execute();
            keep.execute();
        }
    }

    private record Pending<T>(WriteJob<T> job, CompletableFuture<T> future, long bytes) {
        @SuppressWarnings("unchecked")
        void succeed(Object result) {
            T typed = (T) result;
            try {
                job.afterCommit(typed);
            } catch (RuntimeException | Error e) {
                LOG.error("after-commit action failed; the write itself is stored", e);
            }
            future.complete(typed);
        }
    }
}
