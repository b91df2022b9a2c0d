package kfp.store.mybatis;

import java.sql.SQLException;

/** Classifies driver errors the same way on every database. */
public final class SqlErrors {

    private static final int MYSQL_DUPLICATE_ENTRY = 1062;

    private SqlErrors() {
    }

    /** A unique or primary key rejected the row (MySQL 1062, SQLSTATE 23505 on PostgreSQL and H2). */
    public static boolean isDuplicateKey(Throwable t) {
        SQLException e = sqlException(t);
        return e != null && (e.getErrorCode() == MYSQL_DUPLICATE_ENTRY || "23505".equals(e.getSQLState()));
    }

    /**
     * A foreign key rejected the row (SQLSTATE 23503 on PostgreSQL and H2, 23506 on H2 for a missing
     * parent; MySQL 1452/1451, SQLSTATE 23000).
     */
    public static boolean isForeignKeyViolation(Throwable t) {
        SQLException e = sqlException(t);
        return e != null && ("23503".equals(e.getSQLState()) || "23506".equals(e.getSQLState())
                || e.getErrorCode() == 1452 || e.getErrorCode() == 1451);
    }

    /** The database chose this transaction as a deadlock victim or serialization failure; a retry may pass. */
    public static boolean isRetryable(Throwable t) {
        SQLException e = sqlException(t);
        return e != null && (e.getErrorCode() == 1213 || "40001".equals(e.getSQLState()) || "40P01".equals(e.getSQLState()));
    }

    /** Runs an insert into a table with unique names: a duplicate key becomes the caller's {@code taken} error. */
    public static void insertUnique(Runnable insert, java.util.function.Function<Throwable, ? extends RuntimeException> taken) {
        try {
            insert.run();
        } catch (RuntimeException e) {
            if (isDuplicateKey(e)) {
                throw taken.apply(e);
            }
            throw e;
        }
    }

    /**
     * Runs an insert that another server may be running at the same moment: the row existing
     * already (the other one won) is success, as in {@link #insertedOrExists}; a deadlock between
     * the two is retried.
     */
    public static void ignoringDuplicateKey(java.util.function.IntSupplier insert) {
        for (int attempt = 1; ; attempt++) {
            try {
                insertedOrExists(insert);
                return;
            } catch (RuntimeException e) {
                if (!isRetryable(e) || attempt == 5) {
                    throw e;
                }
            }
        }
    }

    /**
     * Runs an insert written with {@code dialect.onConflictDoNothing}: true when it stored the row,
     * false when the key existed (0 rows on PostgreSQL; a duplicate-key error on MySQL and H2).
     */
    public static boolean insertedOrExists(java.util.function.IntSupplier insert) {
        try {
            return insert.getAsInt() > 0;
        } catch (RuntimeException e) {
            if (isDuplicateKey(e)) {
                return false;
            }
            throw e;
        }
    }

    /** The first SQLException in the cause chain, or null. */
    public static SQLException sqlException(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause() == c ? null : c.getCause()) {
            if (c instanceof SQLException e) {
                return e;
            }
        }
        return null;
    }

    /** One line for an error message: the driver's message without MyBatis's statement dump. */
    public static String describe(Throwable t) {
        SQLException e = sqlException(t);
        String m = e != null ? e.getMessage() : t.getMessage();
        if (m == null) {
            return t.getClass().getSimpleName();
        }
        int nl = m.indexOf('\n');
        return nl < 0 ? m : m.substring(0, nl);
    }
}
