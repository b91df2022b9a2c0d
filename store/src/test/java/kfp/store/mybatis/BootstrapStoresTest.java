package kfp.store.mybatis;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.inject.Injector;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import kfp.store.api.DBStatusStore;
import kfp.store.api.DefaultExperimentStore;
import kfp.store.testing.OnEachDatabase;
import kfp.store.testing.StoreTest;
import kfp.store.testing.TestDatabase;

/** DBStatusStore and DefaultExperimentStore, and their start-up rows. */
@StoreTest
class BootstrapStoresTest {

    @OnEachDatabase
    void samplesAreNotLoadedOnAFreshDatabase(DBStatusStore store, TestDatabase db) {
        assertThat(store.haveSamplesLoaded()).isFalse();
        assertThat(db.query("SELECT \"HaveSamplesLoaded\" FROM db_statuses")).containsExactly(List.of(false));
    }

    @OnEachDatabase
    void markSampleLoadedIsRemembered(DBStatusStore store, TestDatabase db) {
        store.markSampleLoaded();
        assertThat(store.haveSamplesLoaded()).isTrue();
        // a second server starting later neither re-inserts nor resets the row
        DBStatusStore second = db.newInjector().getInstance(DBStatusStore.class);
        assertThat(second.haveSamplesLoaded()).isTrue();
        assertThat(db.count("db_statuses")).isEqualTo(1);
    }

    @OnEachDatabase
    void defaultExperimentIsEmptyUntilSet(DefaultExperimentStore store, TestDatabase db) {
        assertThat(store.getDefaultExperimentId()).isEmpty();
        assertThat(db.count("default_experiments")).isEqualTo(1);
    }

    @OnEachDatabase
    void defaultExperimentIsSetOnce(DefaultExperimentStore store) {
        store.setDefaultExperimentId("test-ID");
        assertThat(store.getDefaultExperimentId()).isEqualTo("test-ID");
        store.setDefaultExperimentId("another-ID");
        assertThat(store.getDefaultExperimentId()).isEqualTo("test-ID");
    }

    @OnEachDatabase
    void unsetOnlyClearsTheMatchingId(DefaultExperimentStore store, TestDatabase db) {
        store.setDefaultExperimentId("test-ID");
        store.unsetDefaultExperimentIdIfIdMatches("other-ID");
        assertThat(store.getDefaultExperimentId()).isEqualTo("test-ID");
        store.unsetDefaultExperimentIdIfIdMatches("test-ID");
        assertThat(store.getDefaultExperimentId()).isEmpty();
        // once cleared it can be set again
        store.setDefaultExperimentId("next-ID");
        assertThat(store.getDefaultExperimentId()).isEqualTo("next-ID");
        assertThat(db.count("default_experiments")).isEqualTo(1);
    }

    /** Servers starting together on an empty database all start, and one row results ({@code docs/kfp-compatibility.md#startup-rows}). */
    @OnEachDatabase
    void serversStartingTogetherCreateExactlyOneRowEach(TestDatabase db) throws Exception {
        int servers = 8;
        ExecutorService pool = Executors.newFixedThreadPool(servers);
        try {
            for (int round = 0; round < 5; round++) {
                db.update("DELETE FROM db_statuses");
                db.update("DELETE FROM default_experiments");
                CyclicBarrier start = new CyclicBarrier(servers);
                List<Future<String>> started = new ArrayList<>();
                for (int i = 0; i < servers; i++) {
                    started.add(pool.submit(() -> {
                        start.await(10, TimeUnit.SECONDS);
                        Injector server = db.newInjector();
                        server.getInstance(DBStatusStore.class);
                        return server.getInstance(DefaultExperimentStore.class).getDefaultExperimentId();
                    }));
                }
                for (Future<String> f : started) {
                    assertThat(f.get(60, TimeUnit.SECONDS)).isEmpty();
                }
                assertThat(db.count("db_statuses")).as("round %d", round).isEqualTo(1);
                assertThat(db.count("default_experiments")).as("round %d", round).isEqualTo(1);
            }
        } finally {
            pool.shutdownNow();
        }
    }
}
