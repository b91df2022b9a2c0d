package kfp.store.list;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import kfp.store.api.Experiment;
import kfp.store.api.ExperimentStore;
import kfp.store.api.FilterContext;
import kfp.store.api.ListOptions;
import kfp.store.api.ListResult;
import kfp.store.api.Pipeline;
import kfp.store.api.PipelineStore;
import kfp.store.mybatis.dynamic.ListModel;
import kfp.store.mybatis.dynamic.ListModels;
import kfp.store.testing.OnEachDatabase;
import kfp.store.testing.StoreTest;
import kfp.store.testing.TestDatabase;

/**
 * Every field a field map offers sorts across pages, in both directions (KFP: some of its fields
 * fail from page 2 on, docs/kfp-compatibility.md#sort-fields), and the page-by-page walk equals
 * the one-page list (the same order on every page, #page-order). Rows tie on most fields so the
 * key decides.
 */
@StoreTest
class EveryFieldSortsTest {

    @OnEachDatabase
    void experimentFields(ExperimentStore store, TestDatabase db) {
        for (String n : List.of("b", "A", "c", "B2")) {
            db.clock().setNext(7);
            store.createExperiment(Experiment.newExperiment(n, n.length() > 1 ? "Same" : "same", "ns"));
        }
        store.setLastRunTimestamp(store.getExperimentByNameNamespace("c", "ns").uuid(), 3);
        walkEveryField(ListModels.EXPERIMENTS, o -> store.listExperiments(FilterContext.NONE, o), Experiment::uuid);
    }

    @OnEachDatabase
    void pipelineFields(PipelineStore store, TestDatabase db) {
        for (String n : List.of("b", "A", "c", "B2")) {
            db.clock().setNext(7);
            store.createPipeline(Pipeline.newPipeline(n, n.length() > 1 ? "Same" : "same", n.repeat(300), "", Map.of()));
        }
        walkEveryField(ListModels.PIPELINES, o -> store.listPipelines(FilterContext.NONE, o), Pipeline::uuid);
        walkEveryField(ListModels.PIPELINES, o -> store.listPipelinesV1(FilterContext.NONE, o), pv -> pv.pipeline().uuid());
    }

    private static <T> void walkEveryField(ListModel model, Function<ListOptions, ListResult<T>> list, Function<T, String> id) {
        for (String field : model.fields().keySet()) {
            for (String dir : List.of(" asc", " desc")) {
                ListOptions first = ListOptions.firstPage(10).withSortBy(field + dir);
                List<String> onePage = list.apply(first).items().stream().map(id).toList();
                assertThat(onePage).as(field + dir).hasSize(4).doesNotHaveDuplicates();
                List<String> walked = new ArrayList<>();
                ListOptions o = ListOptions.firstPage(1).withSortBy(field + dir);
                for (int i = 0; i < 10; i++) {
                    ListResult<T> page = list.apply(o);
                    page.items().forEach(t -> walked.add(id.apply(t)));
                    if (page.nextPageToken().isEmpty()) {
                        break;
                    }
                    o = ListOptions.firstPage(1).withPageToken(page.nextPageToken());
                }
                assertThat(walked).as(field + dir).containsExactlyElementsOf(onePage);
            }
        }
    }

}
