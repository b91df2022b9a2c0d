package kfp.store.migration;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * Recounts {@code run_counts} (migration 41) from {@code run_details}: the count that migration
 * fills the table with, for a database whose runs were written in bulk (a copy from another
 * database). The triggers keep the counters exact afterwards.
 */
public final class RunCounts {

    /** Migration 41's count: runs per (ExperimentUUID, Namespace, StorageState, State), NULL State as ''. */
    private static final String RECOUNT = """
            INSERT INTO run_counts ("ExperimentUUID", "Namespace", "StorageState", "State", "RunCount")
            SELECT "ExperimentUUID",
                   "Namespace",
                   "StorageState",
                   COALESCE("State", ''),
                   COUNT(*)
              FROM run_details
             GROUP BY "ExperimentUUID", "Namespace", "StorageState", COALESCE("State", '')""";

    private RunCounts() {
    }

    /**
     * Replaces every counter with the count of the runs, in one transaction of {@code c} (which must
     * not be in auto-commit mode; MySQL connections need ANSI_QUOTES, as the store's pool sets).
     * Returns the number of counters written.
     */
    public static int recount(Connection c) throws SQLException {
        try (Statement st = c.createStatement()) {
            st.executeUpdate("DELETE FROM run_counts");
            return st.executeUpdate(RECOUNT);
        }
    }
}
