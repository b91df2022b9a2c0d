package kfp.store.mybatis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import kfp.store.Schema;
import kfp.store.api.AlreadyExistsException;
import kfp.store.api.ExecutionCache;
import kfp.store.api.ExecutionCacheStore;
import kfp.store.api.InvalidArgumentException;
import kfp.store.api.NotFoundException;
import kfp.store.dialect.Dialect;
import kfp.store.testing.OnEachDatabase;
import kfp.store.testing.StoreTest;
import kfp.store.testing.TestDatabase;

/** ExecutionCacheStore: KFP's cache store tests, and the race and expiry fixes ({@code docs/kfp-compatibility.md#cache-expiry}). */
@StoreTest(schemas = Schema.CACHEDB)
class ExecutionCacheStoreTest {

    private static final String TEMPLATE = "{\"container\":{\"image\":\"python:3.9\"}}";
    private static final String OUTPUT = "{\"workflows.argoproj.io/outputs\":\"{}\"}";

    @OnEachDatabase
    void createStampsNowAndReturnsTheGeneratedId(ExecutionCacheStore store, TestDatabase db) {
        ExecutionCache created = store.createExecutionCache("key", TEMPLATE, OUTPUT, -1);
        assertThat(created).isEqualTo(new ExecutionCache(created.id(), "key", TEMPLATE, OUTPUT, -1, 1, 1));
        assertThat(db.queryValue("SELECT \"ID\" FROM execution_caches")).isIn(created.id(), (int) created.id());
        assertThat(store.getExecutionCache("key", -1, -1)).contains(created);
    }

    @OnEachDatabase
    void aSecondCreateForTheKeyIsRefusedAndChangesNothing(ExecutionCacheStore store, TestDatabase db) {
        ExecutionCache first = store.createExecutionCache("key", TEMPLATE, OUTPUT, -1);
        assertThatThrownBy(() -> store.createExecutionCache("key", "other", "other", 10))
                .isInstanceOf(AlreadyExistsException.class)
                .hasMessage("execution cache with key key already exists, failed to create new execution cache");
        assertThat(db.count("execution_caches")).isEqualTo(1);
        assertThat(store.getExecutionCache("key", -1, -1)).contains(first);
    }

    @OnEachDatabase
    void anotherKeyIsAMiss(ExecutionCacheStore store) {
        store.createExecutionCache("key", TEMPLATE, OUTPUT, -1);
        assertThat(store.getExecutionCache("wrongKey", -1, -1)).isEmpty();
    }

    /** KFP regression: the empty key is a key like any other, not "no condition". */
    @OnEachDatabase
    void theEmptyKeyStillFilters(ExecutionCacheStore store) {
        assertThat(store.getExecutionCache("", -1, -1)).isEmpty();
        store.createExecutionCache("key", TEMPLATE, OUTPUT, -1);
        assertThat(store.getExecutionCache("", -1, -1)).isEmpty();
        ExecutionCache empty = store.createExecutionCache("", TEMPLATE, OUTPUT, -1);
        assertThat(store.getExecutionCache("", -1, -1)).contains(empty);
    }

    @OnEachDatabase
    void aZeroStalenessDisablesTheCache(ExecutionCacheStore store) {
        store.createExecutionCache("key", TEMPLATE, OUTPUT, -1);
        assertThat(store.getExecutionCache("key", 0, -1)).isEmpty();
    }

    @OnEachDatabase
    void theRowsOwnStalenessLimitsItsLife(ExecutionCacheStore store, TestDatabase db) {
        store.createExecutionCache("zero", TEMPLATE, OUTPUT, 0);  // started at 1
        store.createExecutionCache("ten", TEMPLATE, OUTPUT, 10);  // started at 2
        assertThat(store.getExecutionCache("zero", -1, -1)).isEmpty(); // now 3: 2 s old, limit 0
        db.clock().setNext(12);
        assertThat(store.getExecutionCache("ten", -1, -1)).isPresent(); // 10 s old: still fresh (<=)
        assertThat(store.getExecutionCache("ten", -1, -1)).isEmpty();   // 11 s old
    }

    @OnEachDatabase
    void thePodsStalenessLimitsTheLookup(ExecutionCacheStore store, TestDatabase db) {
        store.createExecutionCache("key", TEMPLATE, OUTPUT, -1); // started at 1
        db.clock().setNext(6);
        assertThat(store.getExecutionCache("key", 5, -1)).isPresent();
        assertThat(store.getExecutionCache("key", 5, -1)).isEmpty(); // now 7: 6 s old
        assertThat(store.getExecutionCache("key", -1, -1)).isPresent();
    }

    /** KFP deleted rows past the maximum before each lookup; here they are invisible, then purged in batches. */
    @OnEachDatabase
    void theMaximumStalenessHidesAndExpiresOldRows(ExecutionCacheStore store, TestDatabase db) {
        for (int i = 1; i <= 5; i++) {
            store.createExecutionCache("key" + i, TEMPLATE, OUTPUT, -1); // started at 1..5
        }
        db.clock().setNext(10);
        assertThat(store.getExecutionCache("key1", -1, 0)).isEmpty();   // now 10: older than 0 s
        assertThat(store.getExecutionCache("key5", -1, 5)).isEmpty();   // now 11: 6 s old > 5
        db.clock().setNext(10);
        assertThat(store.getExecutionCache("key5", -1, 5)).isPresent(); // now 10: 5 s old
        assertThat(db.count("execution_caches")).isEqualTo(5);          // lookups delete nothing

        db.clock().setNext(8); // cutoff 8 - 5 = 3: rows started at 1 and 2 are expired
        assertThat(store.deleteExpired(5, 1)).isEqualTo(1);
        db.clock().setNext(8);
        assertThat(store.deleteExpired(5, 10)).isEqualTo(1);
        db.clock().setNext(8);
        assertThat(store.deleteExpired(5, 10)).isZero();
        assertThat(db.query("SELECT \"ExecutionCacheKey\" FROM execution_caches ORDER BY \"ID\""))
                .containsExactly(List.of("key3"), List.of("key4"), List.of("key5"));
        assertThat(store.deleteExpired(-1, 10)).isZero();
        assertThat(db.count("execution_caches")).isEqualTo(3);
    }

    @OnEachDatabase
    void deleteRemovesOneEntry(ExecutionCacheStore store, TestDatabase db) {
        ExecutionCache a = store.createExecutionCache("a", TEMPLATE, OUTPUT, -1);
        store.createExecutionCache("b", TEMPLATE, OUTPUT, -1);
        store.deleteExecutionCache(a.id());
        assertThat(store.getExecutionCache("a", -1, -1)).isEmpty();
        assertThat(store.getExecutionCache("b", -1, -1)).isPresent();
        assertThatThrownBy(() -> store.deleteExecutionCache(a.id())).isInstanceOf(NotFoundException.class);
        // after a delete the key can be written again
        assertThat(store.createExecutionCache("a", TEMPLATE, OUTPUT, -1).id()).isNotEqualTo(a.id());
    }

    @OnEachDatabase
    void badArgumentsAreInvalidArguments(ExecutionCacheStore store, TestDatabase db) {
        assertThatThrownBy(() -> store.getExecutionCache(null, -1, -1)).isInstanceOf(InvalidArgumentException.class);
        assertThatThrownBy(() -> store.createExecutionCache("k".repeat(192), TEMPLATE, OUTPUT, -1))
                .isInstanceOf(InvalidArgumentException.class).hasMessageContaining("191");
        assertThatThrownBy(() -> store.createExecutionCache("k", null, OUTPUT, -1)).isInstanceOf(InvalidArgumentException.class);
        assertThatThrownBy(() -> store.deleteExpired(1, 0)).isInstanceOf(InvalidArgumentException.class);
        assertThat(db.count("execution_caches")).isZero();
    }

    /** Long templates and outputs are stored whole ({@code docs/kfp-compatibility.md#cache-text-columns}). */
    @OnEachDatabase
    void longTextIsKeptWhole(ExecutionCacheStore store) {
        String template = "{\"x\":\"" + "é€😀".repeat(40_000) + "\"}";
        store.createExecutionCache("key", template, template, -1);
        assertThat(store.getExecutionCache("key", -1, -1).orElseThrow().executionTemplate()).isEqualTo(template);
    }

    /** Watchers racing on one key leave exactly one row; all but one are told it exists ({@code docs/kfp-compatibility.md#unique-task-pod}). */
    @OnEachDatabase
    void twoWritersRacingOnAKeyLeaveExactlyOneRow(TestDatabase db) throws Exception {
        int writers = 2;
        ExecutorService pool = Executors.newFixedThreadPool(writers);
        ExecutionCacheStore[] stores = new ExecutionCacheStore[writers];
        for (int i = 0; i < writers; i++) {
            stores[i] = db.newInjector().getInstance(ExecutionCacheStore.class); // two servers
        }
        try {
            for (int round = 0; round < 20; round++) {
                String key = "race" + round;
                CyclicBarrier start = new CyclicBarrier(writers);
                List<Future<Boolean>> results = new ArrayList<>();
                for (int i = 0; i < writers; i++) {
                    ExecutionCacheStore store = stores[i];
                    results.add(pool.submit(() -> {
                        start.await(10, TimeUnit.SECONDS);
                        try {
                            store.createExecutionCache(key, TEMPLATE, OUTPUT, -1);
                            return true;
                        } catch (AlreadyExistsException e) {
                            return false;
                        }
                    }));
                }
                int created = 0;
                for (Future<Boolean> f : results) {
                    created += f.get(60, TimeUnit.SECONDS) ? 1 : 0;
                }
                assertThat(created).as("round %d", round).isEqualTo(1);
                assertThat(db.queryValue("SELECT COUNT(*) FROM execution_caches WHERE \"ExecutionCacheKey\" = ?", key))
                        .as("round %d", round).isIn(1, 1L);
            }
        } finally {
            pool.shutdownNow();
        }
    }

    /** The lookup and the expiry batch are served by indexes, not table scans. */
    @OnEachDatabase
    void lookupAndExpiryUseIndexes(TestDatabase db) throws Exception {
        if (db.dialect() == Dialect.H2) {
            return; // plans are checked on the server databases
        }
        for (int i = 0; i < 300; i++) {
            db.update("INSERT INTO execution_caches (\"ExecutionCacheKey\", \"ExecutionTemplate\", \"ExecutionOutput\","
                    + " \"MaxCacheStaleness\", \"StartedAtInSec\", \"EndedAtInSec\") VALUES (?, '', '', -1, ?, ?)",
                    "k" + i, (long) i, (long) i);
        }
        String lookup = "SELECT \"ID\" FROM execution_caches WHERE \"ExecutionCacheKey\" = 'k7' AND \"StartedAtInSec\" >= 0"
                + " AND (\"MaxCacheStaleness\" < 0 OR \"StartedAtInSec\" >= 100 - \"MaxCacheStaleness\")"
                + " ORDER BY \"StartedAtInSec\" DESC, \"ID\" DESC LIMIT 1";
        String expiry = "SELECT \"ID\" FROM execution_caches WHERE \"StartedAtInSec\" < 10 ORDER BY \"StartedAtInSec\" LIMIT 5";
        assertThat(plan(db, lookup)).contains("idx_cache_key");
        assertThat(plan(db, expiry)).contains("idx_execution_caches_startedatinsec");
    }

    private static String plan(TestDatabase db, String sql) throws Exception {
        try (Connection c = db.dataSource().getConnection(); Statement st = c.createStatement()) {
            if (db.dialect() == Dialect.POSTGRESQL) {
                st.execute("ANALYZE execution_caches");
            }
            StringBuilder plan = new StringBuilder();
            try (ResultSet rs = st.executeQuery("EXPLAIN " + sql)) {
                int n = rs.getMetaData().getColumnCount();
                while (rs.next()) {
                    for (int i = 1; i <= n; i++) {
                        plan.append(rs.getString(i)).append(' ');
                    }
                    plan.append('\n');
                }
            }
            return plan.toString();
        }
    }
}
