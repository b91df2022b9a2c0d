package kfp.store.mybatis;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.inject.Guice;
import com.google.inject.Injector;
import com.zaxxer.hikari.HikariDataSource;
import java.util.List;
import javax.sql.DataSource;
import kfp.store.Schema;
import kfp.store.api.FilterContext;
import kfp.store.api.ListOptions;
import kfp.store.api.RunCounters;
import kfp.store.api.RunStore;
import kfp.store.config.DataSources;
import kfp.store.config.DatabaseConfig;
import kfp.store.guice.StoreModule;
import kfp.store.guice.StoreOptions;
import kfp.store.migration.SchemaMigrations;
import kfp.store.testing.OnEachDatabase;
import kfp.store.testing.StoreTest;
import kfp.store.testing.TestDatabase;

/**
 * A MySQL database that refuses to create triggers (managed MySQL with a binary log and a user
 * without SUPER): simulated with a user who lacks the TRIGGER privilege (KFP_TEST_MYSQL_NOTRIGGER_USER,
 * created by .ci/run), which fails CREATE TRIGGER the same way, before any trigger exists. The
 * server still migrates and starts, the counters are off and total_size counts the runs; once a
 * user who may create them migrates, the triggers exist and the counters are counted again.
 * PostgreSQL and H2 create the triggers in migration 41: the counters are on.
 */
@StoreTest(schemas = {})
class RunCountsWithoutTriggersTest {

    @OnEachDatabase
    void aDatabaseThatRefusesTriggersStartsWithTheCountersOff(TestDatabase db) {
        boolean mysql = db.databaseId().equals("mysql");
        HikariDataSource restricted = mysql ? DataSources.open(DatabaseConfig.forJdbcUrl(db.config().jdbcUrl(),
                required("KFP_TEST_MYSQL_NOTRIGGER_USER"), required("KFP_TEST_MYSQL_NOTRIGGER_PASSWORD")), "no-trigger") : null;
        try {
            DataSource server = mysql ? restricted : db.dataSource();
            SchemaMigrations.migrate(server, db.dialect(), Schema.MLPIPELINE); // does not fail
            Injector stores = stores(server, db);
            assertThat(stores.getInstance(RunCounters.class).maintained()).isEqualTo(!mysql);
            db.update("INSERT INTO experiments (\"UUID\", \"Name\", \"Description\", \"CreatedAtInSec\","
                    + " \"LastRunCreatedAtInSec\", \"Namespace\", \"StorageState\") VALUES ('exp1', 'e', '', 1, 0, 'ns1', 'AVAILABLE')");
            RunStore runs = stores.getInstance(RunStore.class);
            for (String id : List.of("r1", "r2", "r3")) {
                kfp.store.api.Run r = RunStoreTest.run(id, "exp1");
                r.namespace = "ns1";
                runs.createRun(r);
            }
            runs.archiveRun("r3");
            assertTotals(runs);

            // a user who may create triggers starts a server: triggers, then a recount
            SchemaMigrations.migrate(db.dataSource(), db.dialect(), Schema.MLPIPELINE);
            Injector after = stores(db.dataSource(), db);
            assertThat(after.getInstance(RunCounters.class).maintained()).isTrue();
            assertThat(after.getInstance(RunCounters.class).check()).isEmpty();
            assertThat(db.runCounts()).isEqualTo(db.runCountsOfRunDetails());
            assertTotals(after.getInstance(RunStore.class));
        } finally {
            if (restricted != null) {
                restricted.close();
            }
        }
    }

    private static void assertTotals(RunStore runs) {
        String available = "{\"predicates\":[{\"key\":\"storage_state\",\"operation\":\"EQUALS\",\"string_value\":\"AVAILABLE\"}]}";
        assertThat(runs.listRuns(FilterContext.NONE, ListOptions.firstPage(1).withFilter(available)).totalSize()).isEqualTo(2);
        assertThat(runs.listRuns(FilterContext.NONE, ListOptions.firstPage(1)).totalSize()).isEqualTo(3);
    }

    private static Injector stores(DataSource dataSource, TestDatabase db) {
        return Guice.createInjector(new StoreModule(StoreOptions.using(dataSource)
                .withMigration(StoreOptions.Migration.NONE).withClock(db.clock()).withIds(db.ids())));
    }

    private static String required(String name) {
        String value = System.getenv(name);
        if (value == null || value.isEmpty()) {
            throw new IllegalStateException(name + " is not set: source .ci/test-databases.env (.ci/run creates the user)");
        }
        return value;
    }
}
