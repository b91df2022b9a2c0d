package kfp.store.mybatis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import kfp.store.api.Experiment;
import kfp.store.api.ExperimentStore;
import kfp.store.api.FilterContext;
import kfp.store.api.InvalidArgumentException;
import kfp.store.api.ListOptions;
import kfp.store.api.Run;
import kfp.store.api.RunMetric;
import kfp.store.api.RunStore;
import kfp.store.api.Task;
import kfp.store.api.TaskStore;
import kfp.store.testing.OnEachDatabase;
import kfp.store.testing.StoreTest;
import kfp.store.testing.TestDatabase;
import org.junit.jupiter.api.Test;

/**
 * U+0000 (NUL) in any string a caller sends is InvalidArgument on every database, and nothing is
 * stored. PostgreSQL cannot store it in text (KFP: Internal there); H2 and MySQL would store it.
 */
@StoreTest
class NulCharacterTest {

    private static final String NUL = "a\u0000b";

    @OnEachDatabase
    void storedStringsWithNulAreRefused(TestDatabase db) {
        RunStore runs = RunStoreTest.fixture(db);
        ExperimentStore experiments = db.get(ExperimentStore.class);
        assertThatThrownBy(() -> experiments.createExperiment(Experiment.newExperiment("e", NUL, "ns")))
                .isInstanceOf(InvalidArgumentException.class)
                .hasMessage("description contains the character U+0000 (NUL), which cannot be stored");
        Run r = RunStoreTest.run("r1", "exp1");
        r.pipelineSpecManifest = "{\"spec\":\"" + NUL + "\"}";
        assertThatThrownBy(() -> runs.createRun(r)).isInstanceOf(InvalidArgumentException.class)
                .hasMessageContaining("pipeline_spec_manifest contains the character U+0000");
        assertThat(db.count("run_details")).isZero();
        assertThat(db.count("resource_references")).isZero();

        runs.createRun(RunStoreTest.run("r1", "exp1"));
        assertThatThrownBy(() -> runs.createMetric(new RunMetric("r1", "node", NUL, 1.0, "RAW")))
                .isInstanceOf(InvalidArgumentException.class).hasMessageContaining("U+0000");
        Task t = new Task();
        t.runId = "r1";
        t.podName = "pod";
        t.fingerprint = NUL;
        assertThatThrownBy(() -> db.get(TaskStore.class).createTask(t))
                .isInstanceOf(InvalidArgumentException.class).hasMessageContaining("U+0000");
        assertThat(db.count("run_metrics") + db.count("tasks")).isZero();
    }

    /** Lookups, filters, sorts and page tokens: the values that only compare also never reach the database. */
    @OnEachDatabase
    void lookupsAndListsWithNulAreRefused(TestDatabase db) {
        RunStore runs = RunStoreTest.fixture(db);
        runs.createRun(RunStoreTest.run("r1", "exp1"));
        assertThatThrownBy(() -> runs.getRun(NUL)).isInstanceOf(InvalidArgumentException.class)
                .hasMessageContaining("U+0000");
        assertThatThrownBy(() -> db.get(ExperimentStore.class).getExperimentByNameNamespace(NUL, "ns"))
                .isInstanceOf(InvalidArgumentException.class);
        assertThatThrownBy(() -> runs.listRuns(FilterContext.NONE, ListOptions.firstPage(5).withFilter(
                "{\"predicates\":[{\"key\":\"name\",\"operation\":\"EQUALS\",\"string_value\":\"a\\u0000\"}]}")))
                .isInstanceOf(InvalidArgumentException.class).hasMessageContaining("U+0000");
        assertThatThrownBy(() -> runs.listRuns(FilterContext.NONE, ListOptions.firstPage(5).withSortBy("metric:a\u0000b")))
                .isInstanceOf(InvalidArgumentException.class).hasMessageContaining("U+0000");
        assertThatThrownBy(() -> runs.listRuns(FilterContext.of(kfp.store.api.ResourceType.EXPERIMENT, NUL),
                ListOptions.firstPage(5))).isInstanceOf(InvalidArgumentException.class);
        assertThat(runs.listRuns(FilterContext.NONE, ListOptions.firstPage(5)).items()).hasSize(1);
    }

    @Test
    void theMessageNamesTheField() {
        assertThat(NulCharacterCheck.fieldName("r.displayName")).isEqualTo("display_name");
        assertThat(NulCharacterCheck.fieldName("id")).isEqualTo("id");
        assertThat(NulCharacterCheck.fieldName("q.filterWhere.parameters.p1")).isEqualTo("a value");
        assertThat(NulCharacterCheck.fieldName("__frch_id_0")).isEqualTo("a value");
    }
}
