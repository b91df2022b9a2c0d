package kfp.store.mybatis.dynamic;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.inject.Guice;
import com.google.inject.Inject;
import java.util.Map;
import kfp.store.Schema;
import kfp.store.api.Experiment;
import kfp.store.api.ExperimentStore;
import kfp.store.api.FilterContext;
import kfp.store.api.ListOptions;
import kfp.store.api.ListResult;
import kfp.store.api.ResourceType;
import kfp.store.guice.BaseStoreModule;
import kfp.store.guice.StoreOptions;
import kfp.store.mybatis.Transactional;
import kfp.store.mybatis.mapper.ExperimentMapper;
import kfp.store.testing.OnEachDatabase;
import kfp.store.testing.StoreTest;
import kfp.store.testing.TestDatabase;

/**
 * total_size comes from the page's snapshot: a row committed by another connection between the
 * page query and the count query is not counted (at PostgreSQL's default READ COMMITTED it would
 * be). The probe is a list method written as the stores write theirs, with a pause in between.
 */
@StoreTest
class SnapshotTest {

    /** A list method like ExperimentStore's, with {@code between} run after the page and before the count. */
    static class Probe {
        private final ExperimentMapper mapper;
        private final ListEngine lists;

        @Inject
        Probe(ExperimentMapper mapper, ListEngine lists) {
            this.mapper = mapper;
            this.lists = lists;
        }

        @Transactional(isolation = Transactional.Isolation.REPEATABLE_READ)
        public ListResult<Experiment> list(Runnable between) {
            Scope scope = Scope.of(FilterContext.of(ResourceType.NAMESPACE, "ns"),
                    Map.of(ResourceType.NAMESPACE, Tables.EXPERIMENTS.namespace));
            return lists.query(ListModels.EXPERIMENTS, ListOptions.firstPage(10), scope).execute(mapper::selectExperimentPage,
                    q -> {
                        between.run();
                        return mapper.countExperiments(q);
                    }, mapper::selectExperimentsByIds, Experiment::uuid);
        }
    }

    @OnEachDatabase
    void pageAndTotalSizeShareOneSnapshot(ExperimentStore store, TestDatabase db) {
        store.createExperiment(Experiment.newExperiment("first", "", "ns"));
        Probe probe = Guice.createInjector(new BaseStoreModule(Schema.MLPIPELINE, StoreOptions.using(db.dataSource())) {
            @Override
            protected void bindStores() {
                bind(ListEngine.class);
                bind(Probe.class);
                expose(Probe.class);
            }
        }).getInstance(Probe.class);

        ListResult<Experiment> r = probe.list(() -> store.createExperiment(Experiment.newExperiment("second", "", "ns")));

        assertThat(r.items()).extracting(Experiment::name).containsExactly("first");
        assertThat(r.totalSize()).isEqualTo(1);
        assertThat(store.listExperiments(FilterContext.of(ResourceType.NAMESPACE, "ns"), ListOptions.firstPage(10)).totalSize())
                .isEqualTo(2);
    }
}
