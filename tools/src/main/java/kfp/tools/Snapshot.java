package kfp.tools;

import java.sql.Connection;
import java.sql.SQLException;

/** A read-only REPEATABLE READ transaction: every table read through it sees one snapshot. */
final class Snapshot {

    private Snapshot() {
    }

    static void begin(Connection c) throws SQLException {
        c.setReadOnly(true);
        c.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
        c.setAutoCommit(false);
    }
}
