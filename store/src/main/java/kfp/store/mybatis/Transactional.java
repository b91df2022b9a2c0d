package kfp.store.mybatis;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.apache.ibatis.session.TransactionIsolationLevel;

/**
 * Runs a store method in one database transaction: committed when it returns, rolled back when it
 * throws; one the database aborts as a deadlock victim runs again (TransactionalInterceptor). A call
 * from inside another transactional method joins the outer transaction. On a class,
 * applies to its public methods; a method's own annotation takes precedence.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.METHOD, ElementType.TYPE})
public @interface Transactional {

    Isolation isolation() default Isolation.DATABASE_DEFAULT;

    /**
     * Run each statement in its own auto-committed transaction instead: for a method that is a single
     * read, this saves the BEGIN/COMMIT round trips (and MySQL's autocommit toggles) of a transaction.
     */
    boolean autoCommit() default false;

    enum Isolation {
        /** Leave the connection as the pool hands it out (no extra round trip). */
        DATABASE_DEFAULT(null),
        READ_COMMITTED(TransactionIsolationLevel.READ_COMMITTED),
        /**
         * One snapshot for every statement: list methods use it so a page and its total_size agree
         * (PostgreSQL's default, READ COMMITTED, would let them disagree).
         */
        REPEATABLE_READ(TransactionIsolationLevel.REPEATABLE_READ),
        SERIALIZABLE(TransactionIsolationLevel.SERIALIZABLE);

        private final TransactionIsolationLevel level;

        Isolation(TransactionIsolationLevel level) {
            this.level = level;
        }

        /** MyBatis's level, or null for the database default. */
        public TransactionIsolationLevel level() {
            return level;
        }
    }
}
