package dev.parley.relay.storage.sqlite;

import java.sql.Connection;
import java.sql.SQLException;

/**
 * One unit of work for the single writer. {@link #run} executes inside the writer's open transaction (under its own
 * savepoint, so a failing job never takes its batch-mates down); {@link #afterCommit} runs on the writer thread once
 * the batch is durable, in commit order, which is what lets fan-out follow seq order without extra locking.
 */
interface WriteJob<T> {
    T run(Connection tx) throws SQLException;

    default void afterCommit(T result) {
    }
}
