package kfp.store.mybatis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import kfp.store.api.AlreadyExistsException;
import kfp.store.api.FilterContext;
import kfp.store.api.InvalidArgumentException;
import kfp.store.api.ListOptions;
import kfp.store.api.ListResult;
import kfp.store.api.ResourceType;
import kfp.store.api.NotFoundException;
import kfp.store.api.RuntimeStates;
import kfp.store.api.StateChange;
import kfp.store.api.Task;
import kfp.store.api.TaskStore;
import kfp.store.testing.OnEachDatabase;
import kfp.store.testing.StoreTest;
import kfp.store.testing.TestDatabase;

/** TaskStore, with the cases of KFP's task store tests ({@code docs/kfp-compatibility.md#task-state}, {@code #unique-task-pod}). */
@StoreTest
class TaskStoreTest {

    static Task task(String runId, String pod) {
        Task t = new Task();
        t.runId = runId;
        t.podName = pod;
        t.namespace = "ns";
        t.pipelineName = "pipeline/p";
        t.mlmdExecutionId = "exec-" + pod;
        t.fingerprint = "fp-" + pod;
        t.name = "name-" + pod;
        return t;
    }

    @OnEachDatabase
    void createAndGet(TaskStore store, TestDatabase db) {
        Rows.run(db, "run1", "e1");
        Task in = task("run1", "pod-a");
        in.state = "Running"; // v1 spelling, stored as v2
        in.childrenPods = List.of("c1", "c2");
        in.stateHistory = List.of(new StateChange(5, RuntimeStates.PENDING));
        Task created = store.createTask(in);
        assertThat(created.uuid).isEqualTo("00000000-0000-4000-8000-000000000001");
        assertThat(created.createdTimestamp).isEqualTo(1);

        Task got = store.getTask(created.uuid);
        assertThat(got).usingRecursiveComparison().isEqualTo(created);
        assertThat(got.state).isEqualTo(RuntimeStates.RUNNING); // KFP returned '' (docs/kfp-compatibility.md#task-state)
        assertThat(got.childrenPods).containsExactly("c1", "c2");
        assertThat(got.stateHistory).containsExactly(new StateChange(5, RuntimeStates.PENDING));
        assertThat((String) db.queryValue("SELECT \"Payload\" FROM tasks")).contains("\"PodName\":\"pod-a\"");
    }

    @OnEachDatabase
    void createTaskTakesStartTimeAsCreationTime(TaskStore store, TestDatabase db) {
        Rows.run(db, "run1", "e1");
        Task in = task("run1", "pod-a");
        in.startedTimestamp = 42;
        assertThat(store.createTask(in).createdTimestamp).isEqualTo(42);
    }

    @OnEachDatabase
    void createTaskRefusesAMissingRunAndASecondTaskOfAPod(TaskStore store, TestDatabase db) {
        assertThatThrownBy(() -> store.createTask(task("nope", "pod-a"))).isInstanceOf(NotFoundException.class);
        Rows.run(db, "run1", "e1");
        store.createTask(task("run1", "pod-a"));
        assertThatThrownBy(() -> store.createTask(task("run1", "pod-a"))).isInstanceOf(AlreadyExistsException.class);
        assertThat(db.count("tasks")).isEqualTo(1);
    }

    /**
     * KFP's v2 launcher records each cached step as a task without a pod name, several per run:
     * each is stored, and they do not take the place of a named pod's task.
     */
    @OnEachDatabase
    void tasksWithoutAPodNameAreAcceptedSeveralPerRun(TaskStore store, TestDatabase db) {
        Rows.run(db, "run1", "e1");
        Task first = store.createTask(task("run1", ""));
        Task second = store.createTask(task("run1", ""));
        Task unset = task("run1", null);
        Task third = store.createTask(unset);
        assertThat(third.podName).isEmpty();
        store.createTask(task("run1", "pod-a"));
        assertThatThrownBy(() -> store.createTask(task("run1", "pod-a"))).isInstanceOf(AlreadyExistsException.class);

        assertThat(db.count("tasks")).isEqualTo(4);
        assertThat(List.of(first.uuid, second.uuid, third.uuid)).doesNotHaveDuplicates();
        assertThat(store.getTask(second.uuid).podName).isEmpty();
        assertThat(store.createOrUpdateTasks("run1", List.of(task("run1", "pod-a")))).hasSize(1);
        assertThat(db.count("tasks")).isEqualTo(4);
    }

    @OnEachDatabase
    void getMissingTaskIsNotFound(TaskStore store) {
        assertThatThrownBy(() -> store.getTask("nope")).isInstanceOf(NotFoundException.class).hasMessageContaining("nope");
    }

    /** KFP's TestListTasks: by run, page size 1, two pages; by pipeline name. */
    @OnEachDatabase
    void listTasks(TaskStore store, TestDatabase db) {
        Rows.run(db, "run1", "e1");
        Rows.run(db, "run2", "e1");
        store.createTask(task("run1", "pod-a"));
        store.createTask(task("run2", "pod-b"));
        Task other = task("run1", "pod-c");
        other.pipelineName = "pipeline/q";
        other.state = RuntimeStates.RUNNING;
        store.createTask(other);
        FilterContext run1 = FilterContext.of(ResourceType.RUN, "run1");
        ListResult<Task> page1 = store.listTasks(run1, ListOptions.firstPage(1));
        assertThat(page1.items()).extracting(t -> t.podName).containsExactly("pod-a");
        assertThat(page1.totalSize()).isEqualTo(2);
        ListResult<Task> page2 = store.listTasks(run1, ListOptions.firstPage(1).withPageToken(page1.nextPageToken()));
        assertThat(page2.items()).extracting(t -> t.state).containsExactly(RuntimeStates.RUNNING);
        assertThat(page2.nextPageToken()).isEmpty();
        assertThat(store.listTasks(FilterContext.of(ResourceType.PIPELINE, "pipeline/q"), ListOptions.firstPage(5)).items())
                .extracting(t -> t.podName).containsExactly("pod-c");
        // run_id and start_time sort across pages (docs/kfp-compatibility.md#sort-fields)
        ListResult<Task> byRun = store.listTasks(FilterContext.NONE, ListOptions.firstPage(2).withSortBy("run_id desc"));
        assertThat(byRun.items()).extracting(t -> t.runId).containsExactly("run2", "run1");
        assertThat(store.listTasks(FilterContext.NONE, ListOptions.firstPage(2).withPageToken(byRun.nextPageToken())).items())
                .extracting(t -> t.podName).containsExactly("pod-a");
        ListResult<Task> byStart = store.listTasks(FilterContext.NONE, ListOptions.firstPage(2).withSortBy("start_time"));
        assertThat(byStart.totalSize()).isEqualTo(3);
        assertThat(store.listTasks(FilterContext.NONE, ListOptions.firstPage(2).withPageToken(byStart.nextPageToken())).items())
                .hasSize(1);
    }

    /** KFP's TestTaskStore_UpdateOrCreateTasks: two existing, one new. */
    @OnEachDatabase
    void createOrUpdateKeepsExistingIdsAndCreatesNewOnes(TaskStore store, TestDatabase db) {
        Rows.run(db, "run1", "e1");
        Task a = store.createTask(task("run1", "pod-a")); // id 1, created 1
        Task b = store.createTask(task("run1", "pod-b")); // id 2, created 2

        Task a2 = new Task();
        a2.podName = "pod-a";
        a2.mlmdOutputs = "{\"out\":1}";
        Task b2 = new Task();
        b2.podName = "pod-b";
        b2.state = RuntimeStates.SUCCEEDED;
        b2.finishedTimestamp = 99;
        Task c = task("run1", "pod-c");
        List<Task> out = store.createOrUpdateTasks("run1", List.of(a2, b2, c)); // now = 3

        assertThat(out).extracting(t -> t.uuid).containsExactly(a.uuid, b.uuid, "00000000-0000-4000-8000-000000000003");
        assertThat(out.get(0).mlmdExecutionId).isEqualTo("exec-pod-a"); // kept from the stored row
        assertThat(out.get(0).mlmdOutputs).isEqualTo("{\"out\":1}");
        assertThat(out.get(0).createdTimestamp).isEqualTo(1);
        assertThat(out.get(1).state).isEqualTo(RuntimeStates.SUCCEEDED);
        assertThat(out.get(1).stateHistory).containsExactly(new StateChange(3, RuntimeStates.SUCCEEDED));
        assertThat(out.get(2).createdTimestamp).isEqualTo(3);
        assertThat(out.get(2).state).isEqualTo(RuntimeStates.UNSPECIFIED);
        assertThat(out.get(2).stateHistory).containsExactly(new StateChange(3, RuntimeStates.UNSPECIFIED));
        for (Task t : out) {
            assertThat(store.getTask(t.uuid)).usingRecursiveComparison().isEqualTo(t);
        }
        assertThat(db.count("tasks")).isEqualTo(3);
    }

    @OnEachDatabase
    void createOrUpdateRefusesBadInput(TaskStore store, TestDatabase db) {
        assertThatThrownBy(() -> store.createOrUpdateTasks("nope", List.of(task("nope", "p"))))
                .isInstanceOf(NotFoundException.class);
        Rows.run(db, "run1", "e1");
        assertThatThrownBy(() -> store.createOrUpdateTasks("run1", List.of(task("run1", "p"), task("run1", "p"))))
                .isInstanceOf(InvalidArgumentException.class);
        assertThatThrownBy(() -> store.createOrUpdateTasks("run1", List.of(task("run2", "p"))))
                .isInstanceOf(InvalidArgumentException.class);
        assertThat(db.count("tasks")).isZero();
    }

    /**
     * Eight reporters update the same run's pods at once, each with its own state (and one with the
     * outputs): one row per pod, and every reporter's state is in its history exactly once.
     */
    @OnEachDatabase
    void concurrentCreateOrUpdateLeavesNoDuplicateAndLosesNoUpdate(TaskStore store, TestDatabase db) throws Exception {
        List<String> states = List.of(RuntimeStates.PENDING, RuntimeStates.RUNNING, RuntimeStates.SUCCEEDED,
                RuntimeStates.SKIPPED, RuntimeStates.FAILED, RuntimeStates.CANCELING, RuntimeStates.CANCELED,
                RuntimeStates.PAUSED);
        List<String> pods = List.of("pod-0", "pod-1", "pod-2", "pod-3", "pod-4");
        ExecutorService pool = Executors.newFixedThreadPool(states.size());
        try {
            for (int round = 0; round < 3; round++) {
                String runId = "run" + round;
                Rows.run(db, runId, "e1");
                CyclicBarrier start = new CyclicBarrier(states.size());
                List<Future<?>> reporters = new ArrayList<>();
                for (int i = 0; i < states.size(); i++) {
                    String state = states.get(i);
                    boolean withOutputs = i == 3;
                    reporters.add(pool.submit(() -> {
                        List<Task> report = new ArrayList<>();
                        for (String pod : pods) {
                            Task t = new Task();
                            t.podName = pod;
                            t.state = state;
                            t.mlmdOutputs = withOutputs ? "out-" + pod : null;
                            report.add(t);
                        }
                        start.await(10, TimeUnit.SECONDS);
                        return store.createOrUpdateTasks(runId, report);
                    }));
                }
                for (Future<?> f : reporters) {
                    f.get(60, TimeUnit.SECONDS);
                }
                assertThat(db.query("SELECT \"PodName\" FROM tasks WHERE \"RunUUID\" = ? ORDER BY \"PodName\"", runId))
                        .as("round %d", round).containsExactlyElementsOf(pods.stream().map(List::<Object>of).toList());
                for (List<Object> row : db.query("SELECT \"UUID\" FROM tasks WHERE \"RunUUID\" = ?", runId)) {
                    Task t = store.getTask((String) row.get(0));
                    assertThat(t.stateHistory).extracting(StateChange::state).as("round %d", round)
                            .containsExactlyInAnyOrderElementsOf(states);
                    assertThat(t.state).isEqualTo(t.stateHistory.get(t.stateHistory.size() - 1).state());
                    assertThat(t.mlmdOutputs).isEqualTo("out-" + t.podName);
                }
            }
        } finally {
            pool.shutdownNow();
        }
    }
}
