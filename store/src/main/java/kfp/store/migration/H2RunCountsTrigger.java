package kfp.store.migration;

import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Arrays;
import java.util.Comparator;
import org.h2.api.Trigger;

/**
 * H2's trigger behind {@code run_counts} (migration 41; MySQL and PostgreSQL do the same in SQL):
 * an inserted run adds 1 to the counter of its (ExperimentUUID, Namespace, StorageState, State)
 * key, a deleted one takes 1 away, and an update that changes the key moves the run from the old
 * counter to the new one, the two in key order so that runs moving in opposite directions lock
 * the same rows in the same order. A run without a State counts under {@code ''}.
 */
public final class H2RunCountsTrigger implements Trigger {

    /** In primary key order: the order in which counters are locked. */
    private static final String[] KEY_COLUMNS = {"ExperimentUUID", "Namespace", "StorageState", "State"};

    private static final Comparator<String[]> KEY_ORDER = Arrays::compare;

    private static final String UPDATE = """
            UPDATE run_counts
               SET "RunCount" = "RunCount" + ?
             WHERE "ExperimentUUID" = ?
               AND "Namespace" = ?
               AND "StorageState" = ?
               AND "State" = ?""";

    private static final String INSERT = """
            INSERT INTO run_counts ("RunCount", "ExperimentUUID", "Namespace", "StorageState", "State")
            VALUES (?, ?, ?, ?, ?)""";

    /** Positions of the key columns in run_details' rows. */
    private final int[] positions = new int[KEY_COLUMNS.length];

    @Override
    public void init(Connection conn, String schemaName, String triggerName, String tableName, boolean before, int type)
            throws SQLException {
        DatabaseMetaData md = conn.getMetaData();
        Arrays.fill(positions, -1);
        try (ResultSet rs = md.getColumns(null, schemaName, tableName, null)) {
            while (rs.next()) {
                int i = Arrays.asList(KEY_COLUMNS).indexOf(rs.getString("COLUMN_NAME"));
                if (i >= 0) {
                    positions[i] = rs.getInt("ORDINAL_POSITION") - 1;
                }
            }
        }
        if (Arrays.stream(positions).anyMatch(p -> p < 0)) {
            throw new SQLException("run_counts trigger: " + tableName + " lacks one of " + Arrays.toString(KEY_COLUMNS));
        }
    }

    @Override
    public void fire(Connection conn, Object[] oldRow, Object[] newRow) throws SQLException {
        String[] oldKey = key(oldRow);
        String[] newKey = key(newRow);
        if (oldKey != null && newKey != null) {
            int order = KEY_ORDER.compare(oldKey, newKey);
            if (order == 0) {
                return; // the update left the key alone
            }
            if (order > 0) {
                add(conn, newKey, 1);
                add(conn, oldKey, -1);
                return;
            }
        }
        if (oldKey != null) {
            add(conn, oldKey, -1);
        }
        if (newKey != null) {
            add(conn, newKey, 1);
        }
    }

    private String[] key(Object[] row) {
        if (row == null) {
            return null;
        }
        String[] key = new String[KEY_COLUMNS.length];
        for (int i = 0; i < key.length; i++) {
            Object v = row[positions[i]];
            key[i] = v == null ? "" : v.toString();
        }
        return key;
    }

    /**
     * Adds {@code delta} to one counter, creating it when absent. When another transaction
     * creates the same counter at the same moment, H2 waits for it and reports the duplicate
     * key (undoing only the failed insert): the counter exists then, and the update applies.
     */
    private static void add(Connection conn, String[] key, long delta) throws SQLException {
        if (apply(conn, UPDATE, key, delta) > 0) {
            return;
        }
        try {
            apply(conn, INSERT, key, delta);
        } catch (SQLException e) {
            if (!"23505".equals(e.getSQLState())) {
                throw e;
            }
            apply(conn, UPDATE, key, delta);
        }
    }

    private static int apply(Connection conn, String sql, String[] key, long delta) throws SQLException {
        try (PreparedStatement ps = conn.prepareStatement(sql)) {
            ps.setLong(1, delta);
            for (int i = 0; i < key.length; i++) {
                ps.setString(i + 2, key[i]);
            }
            return ps.executeUpdate();
        }
    }
}
