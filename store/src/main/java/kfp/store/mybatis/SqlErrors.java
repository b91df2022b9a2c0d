package kfp.store.mybatis;

import java.lang.reflect.InvocationTargetException;
import java.sql.SQLException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.SQLTimeoutException;
import java.sql.SQLTransientConnectionException;
import java.util.function.Function;
import java.util.function.IntSupplier;
import kfp.store.api.AbortedException;
import kfp.store.api.AlreadyExistsException;
import kfp.store.api.InternalException;
import kfp.store.api.InvalidArgumentException;
import kfp.store.api.NotFoundException;
import kfp.store.api.StoreException;
import kfp.store.api.UnavailableException;
import kfp.store.dialect.Dialect;
import org.apache.ibatis.cache.CacheKey;
import org.apache.ibatis.executor.Executor;
import org.apache.ibatis.mapping.BoundSql;
import org.apache.ibatis.mapping.MappedStatement;
import org.apache.ibatis.plugin.Interceptor;
import org.apache.ibatis.plugin.Intercepts;
import org.apache.ibatis.plugin.Invocation;
import org.apache.ibatis.plugin.Signature;
import org.apache.ibatis.session.ResultHandler;
import org.apache.ibatis.session.RowBounds;

/**
 * What a database error means, decided per database from its own error codes, and the store error
 * a caller gets for it. The one place where driver errors are read.
 *
 * <p>Each MyBatis session classifies the errors of its statements as they happen ({@link Classifier},
 * installed with the session's {@link Dialect}); stores then ask {@link #isDuplicateKey} and the
 * like, and {@link #toStoreException} turns whatever reaches the edge of a store into a
 * {@link StoreException}: a caller's mistake the database caught (a value too long for its
 * column, a character it cannot store) is InvalidArgument, a conflict with concurrent changes is
 * Aborted, a database that cannot answer is Unavailable, and only the rest is Internal.
 */
public final class SqlErrors {

    /** What went wrong, in the terms the stores act on. */
    public enum Failure {
        /** A unique or primary key already holds the value. */
        DUPLICATE_KEY,
        /** A foreign key: the row refers to a missing one, or rows still refer to it. */
        FOREIGN_KEY,
        /** A string longer than its column. */
        VALUE_TOO_LONG,
        /** Another value the column cannot hold (a character outside its character set, a number out of range). */
        INVALID_VALUE,
        /** The database aborted the transaction: a deadlock victim or a serialization failure. A retry may pass. */
        DEADLOCK,
        /** Waited too long for a row lock another transaction holds. */
        LOCK_TIMEOUT,
        /** The statement ran past its timeout and was cancelled. */
        STATEMENT_TIMEOUT,
        /** No connection: lost, refused, none free in the pool, or the server shuts down or is read-only. */
        UNAVAILABLE,
        /** Anything else: a fault of the server or of this code, not of the caller. */
        OTHER
    }

    private SqlErrors() {
    }

    /** What {@code e} means on {@code dialect}'s database. */
    public static Failure classify(Dialect dialect, SQLException e) {
        if (e instanceof Classified c) {
            return c.failure;
        }
        Failure f = switch (dialect) {
            case H2 -> h2(e.getErrorCode());
            case MYSQL -> mysql(e.getErrorCode());
            case POSTGRESQL -> postgresql(state(e));
        };
        if (f != Failure.OTHER) {
            return f;
        }
        String state = state(e);
        if (state.startsWith("22")) {
            return Failure.INVALID_VALUE;       // SQL's "data exception" class
        }
        if (state.startsWith("08") || e instanceof SQLTransientConnectionException
                || e instanceof SQLNonTransientConnectionException) {
            return Failure.UNAVAILABLE;         // SQL's "connection exception" class; the pool's timeout
        }
        if (e instanceof SQLTimeoutException) {
            return Failure.STATEMENT_TIMEOUT;   // JDBC's query timeout
        }
        return Failure.OTHER;
    }

    /** H2's error codes ({@code org.h2.api.ErrorCode}). */
    private static Failure h2(int code) {
        return switch (code) {
            case 23505 -> Failure.DUPLICATE_KEY;
            case 23503, 23506 -> Failure.FOREIGN_KEY;               // child rows exist; parent missing
            case 22001 -> Failure.VALUE_TOO_LONG;
            case 40001, 90131 -> Failure.DEADLOCK;                  // deadlock; concurrent update of a row
            case 50200 -> Failure.LOCK_TIMEOUT;
            case 57014 -> Failure.STATEMENT_TIMEOUT;
            case 90067, 90098, 90121, 90097 -> Failure.UNAVAILABLE; // connection broken; closed; shutting down; read-only
            default -> Failure.OTHER;
        };
    }

    /** MySQL's and MariaDB's server and client error numbers. */
    private static Failure mysql(int code) {
        return switch (code) {
            case 1062, 1586, 1022 -> Failure.DUPLICATE_KEY;
            case 1451, 1452, 1216, 1217 -> Failure.FOREIGN_KEY;
            case 1406 -> Failure.VALUE_TOO_LONG;
            case 1366, 1367, 1264, 1265, 1292 -> Failure.INVALID_VALUE; // incorrect string (e.g. 4-byte UTF-8 in utf8mb3), out of range
            case 1213 -> Failure.DEADLOCK;
            case 1205 -> Failure.LOCK_TIMEOUT;
            case 3024, 1969, 1317 -> Failure.STATEMENT_TIMEOUT;         // max_execution_time; MariaDB max_statement_time; query interrupted
            case 2002, 2003, 2006, 2013, 1053, 1927, 4031,              // cannot connect; gone; lost; shutdown; killed; idle
                 1290, 1792, 1836 -> Failure.UNAVAILABLE;               // read-only server or transaction (fail-over)
            default -> Failure.OTHER;
        };
    }

    /** PostgreSQL's SQLSTATEs (it reports no vendor numbers). */
    private static Failure postgresql(String state) {
        return switch (state) {
            case "23505" -> Failure.DUPLICATE_KEY;
            case "23503" -> Failure.FOREIGN_KEY;
            case "22001" -> Failure.VALUE_TOO_LONG;
            case "40001", "40P01" -> Failure.DEADLOCK;              // serialization failure; deadlock
            case "55P03" -> Failure.LOCK_TIMEOUT;
            case "57014" -> Failure.STATEMENT_TIMEOUT;
            case "57P01", "57P02", "57P03", "25006", "53300" -> Failure.UNAVAILABLE; // shutdown; starting; read-only; too many connections
            default -> Failure.OTHER;
        };
    }

    private static String state(SQLException e) {
        return e.getSQLState() == null ? "" : e.getSQLState();
    }

    /** What the database error in {@code t}'s causes meant, or OTHER when there is none or it was not classified. */
    public static Failure failureOf(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause() == c ? null : c.getCause()) {
            if (c instanceof Classified e) {
                return e.failure;
            }
        }
        return Failure.OTHER;
    }

    /** A unique or primary key rejected the row. */
    public static boolean isDuplicateKey(Throwable t) {
        return failureOf(t) == Failure.DUPLICATE_KEY;
    }

    /** A foreign key rejected the change. */
    public static boolean isForeignKeyViolation(Throwable t) {
        return failureOf(t) == Failure.FOREIGN_KEY;
    }

    /** The database chose this transaction as a deadlock victim or serialization failure; a retry may pass. */
    public static boolean isRetryable(Throwable t) {
        return failureOf(t) == Failure.DEADLOCK;
    }

    /**
     * The store error for a failure that reached the edge of a store: a store error raised while a
     * statement ran (a check inside the session) as it is, a database error by what it means.
     */
    public static StoreException toStoreException(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause() == c ? null : c.getCause()) {
            if (c instanceof StoreException s) {
                return s;
            }
        }
        String detail = describe(t);
        return switch (failureOf(t)) {
            case DUPLICATE_KEY -> new AlreadyExistsException("a row with the same key exists already: " + detail, t);
            case FOREIGN_KEY -> new NotFoundException(
                    "the change refers to a row that does not exist, or rows still refer to it: " + detail, t);
            case VALUE_TOO_LONG -> new InvalidArgumentException("a value is longer than its column allows: " + detail, t);
            case INVALID_VALUE -> new InvalidArgumentException("the database cannot store a value: " + detail, t);
            case DEADLOCK -> new AbortedException("the database aborted the transaction in a conflict with"
                    + " concurrent changes; try again", t);
            case LOCK_TIMEOUT -> new AbortedException("the change waited too long for rows another change holds;"
                    + " try again", t);
            case STATEMENT_TIMEOUT -> new UnavailableException("the database did not answer in time: " + detail, t);
            case UNAVAILABLE -> new UnavailableException("the database is not available: " + detail, t);
            case OTHER -> new InternalException("database error: " + detail, t);
        };
    }

    /** Runs an insert into a table with unique names: a duplicate key becomes the caller's {@code taken} error. */
    public static void insertUnique(Runnable insert, Function<Throwable, ? extends RuntimeException> taken) {
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
    public static void ignoringDuplicateKey(IntSupplier insert) {
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
    public static boolean insertedOrExists(IntSupplier insert) {
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
        return m.lines().map(l -> l.replaceFirst("^### ", "").trim()).filter(l -> !l.isEmpty())
                .findFirst().orElse(t.getClass().getSimpleName());
    }

    /** A driver error with its meaning attached, in place of the driver's exception (its cause). */
    static final class Classified extends SQLException {
        private static final long serialVersionUID = 1L;

        final transient Failure failure;

        Classified(SQLException e, Failure failure) {
            super(e.getMessage(), e.getSQLState(), e.getErrorCode(), e);
            this.failure = failure;
        }
    }

    /**
     * Classifies the error of every statement, commit and connection request of a MyBatis session
     * on the spot, while the database it came from is known.
     */
    @Intercepts({
        @Signature(type = Executor.class, method = "update", args = {MappedStatement.class, Object.class}),
        @Signature(type = Executor.class, method = "query",
                args = {MappedStatement.class, Object.class, RowBounds.class, ResultHandler.class}),
        @Signature(type = Executor.class, method = "query",
                args = {MappedStatement.class, Object.class, RowBounds.class, ResultHandler.class, CacheKey.class, BoundSql.class}),
        @Signature(type = Executor.class, method = "commit", args = {boolean.class})})
    public static final class Classifier implements Interceptor {

        private final Dialect dialect;

        public Classifier(Dialect dialect) {
            this.dialect = dialect;
        }

        @Override
        public Object intercept(Invocation invocation) throws Throwable {
            try {
                return invocation.proceed();
            } catch (InvocationTargetException e) {
                Throwable cause = e.getCause();
                if (cause instanceof SQLException s && !(cause instanceof Classified)) {
                    throw new Classified(s, classify(dialect, s));
                }
                throw cause;
            }
        }
    }
}
