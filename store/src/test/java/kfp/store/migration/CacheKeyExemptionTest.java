package kfp.store.migration;

import static org.assertj.core.api.Assertions.assertThat;

import kfp.store.Schema;
import kfp.store.testing.OnEachDatabase;
import kfp.store.testing.StoreTest;
import kfp.store.testing.TestDatabase;
import org.flywaydb.core.Flyway;

/**
 * A cache database KFP wrote may hold several rows for one key (its check-then-insert races).
 * Adopting it keeps every row; all but the one KFP's lookup returned (newest StartedAtInSec, then
 * highest ID) are exempted from our unique key by their own ID.
 */
@StoreTest(schemas = {})
class CacheKeyExemptionTest {

    @OnEachDatabase
    void adoptionKeepsEveryRowAndExemptsAllButTheNewestOfEachKey(TestDatabase db) {
        // KFP's table as its cache server leaves it: version 1's DDL, and no history table
        Flyway.configure().dataSource(db.dataSource()).table("kfp_setup_history")
                .locations(SchemaMigrations.location(db.dialect(), Schema.CACHEDB))
                .target("1").placeholderReplacement(false).load().migrate();
        db.update("DROP TABLE kfp_setup_history");
        Object[][] rows = {
            {1L, "a", "a-old", 10L}, {2L, "a", "a-new", 20L}, {3L, "a", "a-mid", 15L},
            {4L, "b", "b-first", 30L}, {5L, "b", "b-tie-later", 30L},
            {6L, "c", "c-only", 5L},
        };
        for (Object[] r : rows) {
            db.update("INSERT INTO execution_caches (\"ID\", \"ExecutionCacheKey\", \"ExecutionTemplate\","
                    + " \"ExecutionOutput\", \"MaxCacheStaleness\", \"StartedAtInSec\", \"EndedAtInSec\")"
                    + " VALUES (?, ?, '', ?, -1, ?, ?)", r[0], r[1], r[2], r[3], r[3]);
        }

        SchemaMigrations.migrate(db.dataSource(), db.dialect(), Schema.CACHEDB);

        assertThat(db.query("SELECT \"ExecutionOutput\", \"KeyExemption\" FROM execution_caches ORDER BY \"ID\""))
                .extracting(r -> r.get(0) + "=" + ((Number) r.get(1)).longValue())
                .containsExactly("a-old=1", "a-new=0", "a-mid=3", "b-first=4", "b-tie-later=0", "c-only=0");
    }
}
