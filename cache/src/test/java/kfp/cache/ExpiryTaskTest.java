package kfp.cache;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.Map;
import kfp.store.Schema;
import kfp.store.api.ExecutionCacheStore;
import kfp.store.testing.OnEachDatabase;
import kfp.store.testing.StoreTest;
import kfp.store.testing.TestDatabase;

/** The expiry task works off every entry past the maximum staleness, one bounded batch after another. */
@StoreTest(schemas = Schema.CACHEDB)
class ExpiryTaskTest {

    @OnEachDatabase
    void aRunDeletesEveryExpiredEntryInBatches(ExecutionCacheStore store, TestDatabase db) throws Exception {
        int rows = ExpiryTask.BATCH + 5;
        insertSeries(db, rows);
        db.update("UPDATE execution_caches SET \"StartedAtInSec\" = ? WHERE \"StartedAtInSec\" = ?", rows + 100L, (long) rows);
        CacheSettings settings = CacheSettings.from(new String[] {"--db_driver=h2"},
                Map.of("MAXIMUM_CACHE_STALENESS", "PT10S"));
        ExpiryTask task = new ExpiryTask(store, settings, new SimpleMeterRegistry());
        db.clock().setNext(rows + 10L); // cutoff about rows: every row but the one moved ahead
        assertThat(task.runOnce()).isEqualTo(rows - 1);
        assertThat(db.count("execution_caches")).isEqualTo(1);
        assertThat(task.runOnce()).isZero();
    }

    /** Rows key-1 … key-n started at 1 … n, in one JDBC batch. */
    private static void insertSeries(TestDatabase db, int n) throws java.sql.SQLException {
        try (java.sql.Connection c = db.dataSource().getConnection(); java.sql.PreparedStatement ps = c.prepareStatement(
                "INSERT INTO execution_caches (\"ExecutionCacheKey\", \"ExecutionTemplate\", \"ExecutionOutput\","
                        + " \"MaxCacheStaleness\", \"StartedAtInSec\", \"EndedAtInSec\") VALUES (?, '', '', -1, ?, ?)")) {
            for (long i = 1; i <= n; i++) {
                ps.setString(1, "key-" + i);
                ps.setLong(2, i);
                ps.setLong(3, i);
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }
}
