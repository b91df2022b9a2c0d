package kfp.store.mybatis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import kfp.store.api.AbortedException;
import kfp.store.api.AlreadyExistsException;
import kfp.store.api.InternalException;
import kfp.store.api.InvalidArgumentException;
import kfp.store.api.NotFoundException;
import kfp.store.api.Run;
import kfp.store.api.RunStore;
import kfp.store.api.UnavailableException;
import kfp.store.mybatis.SqlErrors.Failure;
import kfp.store.testing.OnEachDatabase;
import kfp.store.testing.StoreTest;
import kfp.store.testing.TestDatabase;
import org.apache.ibatis.exceptions.PersistenceException;
import org.junit.jupiter.api.Test;

/**
 * The per-database error classifier ({@link SqlErrors}): real errors of each database, provoked
 * with plain JDBC, mean the same failure on all three; and what a store answers for each.
 */
@StoreTest
class DatabaseErrorsTest {

    private static final String EXPERIMENT = "INSERT INTO experiments (\"UUID\", \"Name\", \"Description\","
            + " \"CreatedAtInSec\", \"LastRunCreatedAtInSec\", \"Namespace\", \"StorageState\") VALUES (?, ?, '', 0, 0, ?, 'AVAILABLE')";
    private static final String METRIC = "INSERT INTO run_metrics (\"RunUUID\", \"NodeID\", \"Name\", \"NumberValue\", \"Payload\")"
            + " VALUES (?, 'n', 'm', ?, '')";

    @FunctionalInterface
    private interface Sql {
        void run(Connection c) throws SQLException;
    }

    /** What the error of {@code sql} on a connection of its own means. */
    private static Failure failureOf(TestDatabase db, Sql sql) {
        try (Connection c = db.dataSource().getConnection()) {
            sql.run(c);
        } catch (SQLException e) {
            return SqlErrors.classify(db.dialect(), e);
        }
        throw new AssertionError("no error");
    }

    private static void update(Connection c, String sql, Object... args) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) {
                ps.setObject(i + 1, args[i]);
            }
            ps.executeUpdate();
        }
    }

    @OnEachDatabase
    void constraintAndValueErrors(TestDatabase db) {
        Rows.experiment(db, "x1", "ns");
        Rows.run(db, "r1", "x1");
        assertThat(failureOf(db, c -> update(c, EXPERIMENT, "x1", "other", "ns"))).isEqualTo(Failure.DUPLICATE_KEY);
        assertThat(failureOf(db, c -> update(c, EXPERIMENT, "x2", "exp-x1", "ns"))).isEqualTo(Failure.DUPLICATE_KEY);
        assertThat(failureOf(db, c -> update(c, METRIC, "no-such-run", 1.0))).isEqualTo(Failure.FOREIGN_KEY);
        assertThat(failureOf(db, c -> update(c, EXPERIMENT, "x3", "n", "n".repeat(64)))).isEqualTo(Failure.VALUE_TOO_LONG);
        assertThat(failureOf(db, c -> update(c, "INSERT INTO run_metrics (\"RunUUID\", \"NodeID\", \"Name\","
                + " \"NumberValue\", \"Payload\") VALUES ('r1', 'n', 'm', 'not a number', '')"))).isEqualTo(Failure.INVALID_VALUE);
        assertThat(failureOf(db, c -> update(c, "SELECT * FROM no_such_table"))).isEqualTo(Failure.OTHER);
    }

    /** Two transactions each holding the row the other wants: the database aborts one of them. */
    @OnEachDatabase
    void deadlock(TestDatabase db) throws Exception {
        Rows.experiment(db, "x1", "ns");
        Rows.experiment(db, "x2", "ns");
        String touch = "UPDATE experiments SET \"Description\" = ? WHERE \"UUID\" = ?";
        List<Failure> failures = new ArrayList<>();
        try (Connection a = db.dataSource().getConnection(); Connection b = db.dataSource().getConnection()) {
            a.setAutoCommit(false);
            b.setAutoCommit(false);
            update(a, touch, "a", "x1");
            update(b, touch, "b", "x2");
            CompletableFuture<Failure> second = CompletableFuture.supplyAsync(() -> {
                try {
                    update(a, touch, "a", "x2"); // waits for b
                    return null;
                } catch (SQLException e) {
                    return SqlErrors.classify(db.dialect(), e);
                }
            });
            Thread.sleep(300);
            try {
                update(b, touch, "b", "x1"); // the cycle
            } catch (SQLException e) {
                failures.add(SqlErrors.classify(db.dialect(), e));
            }
            b.rollback();
            failures.add(second.get(60, TimeUnit.SECONDS));
            a.rollback();
        }
        assertThat(failures).containsOnlyOnce(Failure.DEADLOCK);
    }

    @OnEachDatabase
    void lockTimeoutStatementTimeoutAndALostConnection(TestDatabase db) throws Exception {
        Rows.experiment(db, "x1", "ns");
        try (Connection holder = db.dataSource().getConnection(); Connection waiter = db.dataSource().getConnection()) {
            holder.setAutoCommit(false);
            update(holder, "UPDATE experiments SET \"Description\" = 'held' WHERE \"UUID\" = 'x1'");
            try (Statement st = waiter.createStatement()) {
                st.execute(switch (db.databaseId()) {
                    case "mysql" -> "SET SESSION innodb_lock_wait_timeout = 1";
                    case "postgresql" -> "SET lock_timeout = '300ms'";
                    default -> "SET LOCK_TIMEOUT 300";
                });
            }
            waiter.setAutoCommit(false);
            SQLException timedOut = null;
            try {
                update(waiter, "UPDATE experiments SET \"Description\" = 'waited' WHERE \"UUID\" = 'x1'");
            } catch (SQLException e) {
                timedOut = e;
            }
            assertThat((Throwable) timedOut).isNotNull();
            assertThat(SqlErrors.classify(db.dialect(), timedOut)).isEqualTo(Failure.LOCK_TIMEOUT);
            waiter.rollback();
            holder.rollback();
            waiter.setAutoCommit(true);
            try (Statement st = waiter.createStatement()) { // the pooled connection gets its setting back
                st.execute(switch (db.databaseId()) {
                    case "mysql" -> "SET SESSION innodb_lock_wait_timeout = DEFAULT";
                    case "postgresql" -> "RESET lock_timeout";
                    default -> "SET LOCK_TIMEOUT 10000";
                });
            }
        }

        assertThat(failureOf(db, c -> {
            try (Statement st = c.createStatement()) {
                st.setQueryTimeout(1);
                st.execute(switch (db.databaseId()) {
                    case "mysql" -> "SELECT SLEEP(10)";
                    case "postgresql" -> "SELECT pg_sleep(10)";
                    default -> "SELECT COUNT(*) FROM SYSTEM_RANGE(1, 1000000) a, SYSTEM_RANGE(1, 1000000) b";
                });
            }
        })).isEqualTo(Failure.STATEMENT_TIMEOUT);

        Connection lost = db.dataSource().getConnection();
        try (Connection killer = db.dataSource().getConnection()) {
            String own = switch (db.databaseId()) {
                case "mysql" -> "SELECT CONNECTION_ID()";
                case "postgresql" -> "SELECT pg_backend_pid()";
                default -> "SELECT SESSION_ID()";
            };
            long id;
            try (Statement st = lost.createStatement(); var rs = st.executeQuery(own)) {
                rs.next();
                id = rs.getLong(1);
            }
            try (Statement st = killer.createStatement()) {
                st.execute(switch (db.databaseId()) {
                    case "mysql" -> "KILL " + id;
                    case "postgresql" -> "SELECT pg_terminate_backend(" + id + ")";
                    default -> "CALL ABORT_SESSION(" + id + ")";
                });
            }
            SQLException gone = null;
            try (Statement st = lost.createStatement()) {
                st.execute("SELECT 1");
            } catch (SQLException e) {
                gone = e;
            }
            assertThat((Throwable) gone).isNotNull();
            assertThat(SqlErrors.classify(db.dialect(), gone)).isEqualTo(Failure.UNAVAILABLE);
        } finally {
            try {
                lost.close();
            } catch (SQLException expected) {
                // its session is gone; the pool drops it
            }
        }
    }

    /**
     * The last line of defence: a column narrower than the stores' check (an operator changed the
     * schema) still makes a too-long value InvalidArgument, through the classifier, not Internal.
     */
    @OnEachDatabase
    void aValueTheDatabaseFindsTooLongIsInvalidArgument(TestDatabase db) {
        RunStore runs = RunStoreTest.fixture(db);
        String column = "\"PipelineName\"";
        db.update(switch (db.databaseId()) {
            case "mysql" -> "ALTER TABLE run_details MODIFY " + column + " varchar(10) NOT NULL";
            case "postgresql" -> "ALTER TABLE run_details ALTER COLUMN " + column + " TYPE varchar(10)";
            default -> "ALTER TABLE run_details ALTER COLUMN " + column + " SET DATA TYPE varchar(10)";
        });
        try {
            Run r = RunStoreTest.run("r1", "exp1");
            r.pipelineName = "a-pipeline-name-of-30-letters!";
            assertThatThrownBy(() -> runs.createRun(r)).isInstanceOf(InvalidArgumentException.class)
                    .hasMessageStartingWith("a value is longer than its column allows: ");
            assertThat(db.count("run_details")).isZero();
        } finally {
            db.update(switch (db.databaseId()) {
                case "mysql" -> "ALTER TABLE run_details MODIFY " + column + " varchar(255) NOT NULL";
                case "postgresql" -> "ALTER TABLE run_details ALTER COLUMN " + column + " TYPE text";
                default -> "ALTER TABLE run_details ALTER COLUMN " + column + " SET DATA TYPE varchar";
            });
        }
    }

    /** What a store answers for each failure; a store error raised inside a statement passes as it is. */
    @Test
    void eachFailureBecomesTheStoreErrorItMeans() {
        assertThat(answer(Failure.DUPLICATE_KEY)).isInstanceOf(AlreadyExistsException.class);
        assertThat(answer(Failure.FOREIGN_KEY)).isInstanceOf(NotFoundException.class);
        assertThat(answer(Failure.VALUE_TOO_LONG)).isInstanceOf(InvalidArgumentException.class)
                .hasMessage("a value is longer than its column allows: driver says no");
        assertThat(answer(Failure.INVALID_VALUE)).isInstanceOf(InvalidArgumentException.class);
        assertThat(answer(Failure.DEADLOCK)).isInstanceOf(AbortedException.class);
        assertThat(answer(Failure.LOCK_TIMEOUT)).isInstanceOf(AbortedException.class);
        assertThat(answer(Failure.STATEMENT_TIMEOUT)).isInstanceOf(UnavailableException.class);
        assertThat(answer(Failure.UNAVAILABLE)).isInstanceOf(UnavailableException.class);
        assertThat(answer(Failure.OTHER)).isInstanceOf(InternalException.class).hasMessage("database error: driver says no");
        InvalidArgumentException inside = new InvalidArgumentException("checked inside the statement");
        assertThat(SqlErrors.toStoreException(new PersistenceException("\n### Error", inside))).isSameAs(inside);
        assertThat(SqlErrors.toStoreException(new PersistenceException("\n### Error querying database.  Cause: x")))
                .isInstanceOf(InternalException.class).hasMessage("database error: Error querying database.  Cause: x");
    }

    private static RuntimeException answer(Failure failure) {
        SQLException driver = new SQLException("driver says no\nstatement dump", "HY000", 1);
        return SqlErrors.toStoreException(new PersistenceException(new SqlErrors.Classified(driver, failure)));
    }
}
