package dev.parley.bench;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Bulk-loads stored messages for the history benchmark, straight into a stopped server's SQLite file.
 * Parley: rows in the relay's own {@code events} table (its schema comes from the relay's Flyway migration, run by
 * starting the relay once on the data directory), appended to one conversation with dense seqs, and
 * {@code conversations.last_seq} moved along as the relay itself would. Peer: rows in its {@code messages} table.
 */
final class Seeder {
    private static final int BATCH = 250_000;
    private static final String FILLER = "lorem ipsum dolor sit amet consectetur adipiscing elit sed do eiusmod tempor "
            + "incididunt ut labore et dolore magna aliqua";

    private Seeder() {
    }

    static Map<String, Object> run(Args args) throws SQLException {
        String target = args.str("target", "parley");
        String db = args.str("db", "");
        long count = args.lng("count", 1_000_000);
        if (db.isEmpty()) {
            throw new IllegalArgumentException("--db FILE is required");
        }
        long t0 = System.nanoTime();
        long total;
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db)) {
            try (Statement st = c.createStatement()) {
                st.execute("PRAGMA journal_mode = OFF");
                st.execute("PRAGMA synchronous = OFF");
                st.execute("PRAGMA cache_size = -262144");
            }
            c.setAutoCommit(false);
            total = target.equals("parley") ? seedParley(c, args, count) : seedPeer(c, args, count);
            try (Statement st = c.createStatement()) {
                c.commit();
                c.setAutoCommit(true);
                st.execute("PRAGMA journal_mode = WAL");
            }
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("event", "seeded");
        out.put("target", target);
        out.put("inserted", count);
        out.put("storedMessages", total);
        out.put("seconds", LoadRun.round((System.nanoTime() - t0) / 1e9, 1));
        return out;
    }

    private static String text(long n) {
        String head = "seeded message " + n + " ";
        return (head + FILLER).substring(0, 100);
    }

    private static long seedParley(Connection c, Args args, long count) throws SQLException {
        long conv = args.lng("conv", 1);
        long sender = args.lng("sender", 1);
        long lastSeq;
        try (PreparedStatement q = c.prepareStatement("SELECT last_seq FROM conversations WHERE id = ?")) {
            q.setLong(1, conv);
            try (ResultSet rs = q.executeQuery()) {
                if (!rs.next()) {
                    throw new IllegalStateException("no conversation " + conv + " in the relay's database");
                }
                lastSeq = rs.getLong(1);
            }
        }
        long ts = System.currentTimeMillis() - count * 10;
        try (PreparedStatement ins = c.prepareStatement("INSERT INTO events (conv_id, seq, kind, sender_id, ts, "
                + "client_id, text, deleted) VALUES (?, ?, 'message', ?, ?, ?, ?, 0)")) {
            for (long i = 1; i <= count; i++) {
                long seq = lastSeq + i;
                ins.setLong(1, conv);
                ins.setLong(2, seq);
                ins.setLong(3, sender);
                ins.setLong(4, ts + i * 10);
                ins.setString(5, "seed-" + conv + "-" + seq);
                ins.setString(6, text(seq));
                ins.addBatch();
                if (i % 10_000 == 0) {
                    ins.executeBatch();
                }
                if (i % BATCH == 0) {
                    c.commit();
                }
            }
            ins.executeBatch();
        }
        try (PreparedStatement up = c.prepareStatement(
                "UPDATE conversations SET last_seq = ?, last_activity = ? WHERE id = ?")) {
            up.setLong(1, lastSeq + count);
            up.setLong(2, System.currentTimeMillis());
            up.setLong(3, conv);
            up.executeUpdate();
        }
        return lastSeq + count;
    }

    private static long seedPeer(Connection c, Args args, long count) throws SQLException {
        String room = args.str("room", "room-0");
        long ts = System.currentTimeMillis() - count * 10;
        try (PreparedStatement ins = c.prepareStatement(
                "INSERT INTO messages (room, username, text, client_id, ts) VALUES (?, ?, ?, ?, ?)")) {
            for (long i = 1; i <= count; i++) {
                ins.setString(1, room);
                ins.setString(2, "hist");
                ins.setString(3, text(i));
                ins.setString(4, "seed-" + i);
                ins.setLong(5, ts + i * 10);
                ins.addBatch();
                if (i % 10_000 == 0) {
                    ins.executeBatch();
                }
                if (i % BATCH == 0) {
                    c.commit();
                }
            }
            ins.executeBatch();
        }
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT count(*) FROM messages")) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
