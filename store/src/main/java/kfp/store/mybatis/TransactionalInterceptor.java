package kfp.store.mybatis;

import java.lang.reflect.Method;
import java.util.concurrent.atomic.LongAdder;
import com.google.inject.Provider;
import kfp.store.api.StoreException;
import org.aopalliance.intercept.MethodInterceptor;
import org.aopalliance.intercept.MethodInvocation;
import org.apache.ibatis.exceptions.PersistenceException;
import org.apache.ibatis.session.SqlSessionManager;
import org.apache.ibatis.session.TransactionIsolationLevel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Gives {@link Transactional} methods a managed MyBatis session (one connection, one transaction)
 * and turns database failures into the {@link StoreException} they mean
 * ({@link SqlErrors#toStoreException}), so callers only ever see store errors.
 */
public final class TransactionalInterceptor implements MethodInterceptor {

    private final Provider<SqlSessionManager> sessions;

    public TransactionalInterceptor(Provider<SqlSessionManager> sessions) {
        this.sessions = sessions;
    }

    @Override
    public Object invoke(MethodInvocation invocation) throws Throwable {
        SqlSessionManager manager = sessions.get();
        if (manager.isManagedSessionStarted()) {
            return invocation.proceed(); // join the caller's transaction
        }
        Transactional transactional = annotation(invocation.getMethod());
        TransactionIsolationLevel level = transactional.isolation().level();
        for (int attempt = 1; ; attempt++) {
            if (transactional.autoCommit()) {
                manager.startManagedSession(true);
            } else if (level == null) {
                manager.startManagedSession();
            } else {
                manager.startManagedSession(level);
            }
            try {
                Object result = invocation.proceed();
                manager.commit(true);
                return result;
            } catch (Throwable t) {
                rollbackQuietly(manager, t);
                if (attempt == MAX_ATTEMPTS || transactional.autoCommit() || !SqlErrors.isRetryable(t)) {
                    throw translate(t);
                }
                RETRIES.increment();
                LOG.debug("{} runs again after a deadlock or serialization failure (attempt {})",
                        invocation.getMethod().getName(), attempt + 1);
            } finally {
                manager.close();
            }
            pause(attempt);
        }
    }

    /**
     * How often a transaction the database chose as a deadlock victim (or a serialization failure)
     * runs. The database rolled it back whole, so running the method again is safe: store methods
     * have no effect outside their transaction, and what they set on their arguments (a new run's
     * id, its normalised state) they set again to the same values. Store methods take their locks
     * in one order (experiment, runs, the runs' counters of migration 41), so among themselves
     * they should not deadlock; a writer that takes another order (a KFP Go server on the same
     * database, a GC batch) still may.
     */
    static final int MAX_ATTEMPTS = 5;

    private static final Logger LOG = LoggerFactory.getLogger(TransactionalInterceptor.class);

    /** Transactions run again since start-up (tests check that one lock order leaves none). */
    private static final LongAdder RETRIES = new LongAdder();

    static long retries() {
        return RETRIES.sum();
    }

    /** A short random pause, growing with the attempt, so the two transactions do not meet again. */
    private static void pause(int attempt) throws InterruptedException {
        Thread.sleep(java.util.concurrent.ThreadLocalRandom.current().nextLong(1, 10L << attempt));
    }

    private static Transactional annotation(Method method) {
        Transactional t = method.getAnnotation(Transactional.class);
        return t != null ? t : method.getDeclaringClass().getAnnotation(Transactional.class);
    }

    /** Methods that run in a transaction: annotated ones, and the public methods of annotated classes. */
    public static boolean isTransactional(Method method) {
        if (method.isSynthetic() || method.isBridge() || method.getDeclaringClass() == Object.class) {
            return false;
        }
        return method.isAnnotationPresent(Transactional.class)
                || (java.lang.reflect.Modifier.isPublic(method.getModifiers())
                    && method.getDeclaringClass().isAnnotationPresent(Transactional.class));
    }

    private static void rollbackQuietly(SqlSessionManager manager, Throwable cause) {
        try {
            manager.rollback(true);
        } catch (RuntimeException e) {
            cause.addSuppressed(e);
        }
    }

    /** Store errors pass as they are; database errors become the store error they mean (SqlErrors). */
    static Throwable translate(Throwable t) {
        if (t instanceof PersistenceException) {
            return SqlErrors.toStoreException(t);
        }
        return t;
    }
}
