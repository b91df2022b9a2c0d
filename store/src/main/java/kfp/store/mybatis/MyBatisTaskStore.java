package kfp.store.mybatis;

import com.google.inject.Inject;
import com.google.inject.Singleton;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import kfp.store.api.AlreadyExistsException;
import kfp.store.api.Clock;
import kfp.store.api.FilterContext;
import kfp.store.api.IdGenerator;
import kfp.store.api.InvalidArgumentException;
import kfp.store.api.ListOptions;
import kfp.store.api.ListResult;
import kfp.store.api.NotFoundException;
import kfp.store.api.ResourceType;
import kfp.store.api.RuntimeStates;
import kfp.store.api.Task;
import kfp.store.api.TaskStore;
import kfp.store.mybatis.Transactional.Isolation;
import kfp.store.mybatis.dynamic.ListEngine;
import kfp.store.mybatis.dynamic.ListModels;
import kfp.store.mybatis.dynamic.Scope;
import kfp.store.mybatis.dynamic.Tables;
import kfp.store.mybatis.mapper.RunMapper;
import kfp.store.mybatis.mapper.TaskMapper;
import org.apache.ibatis.exceptions.PersistenceException;

/** {@link TaskStore} over {@code mappers/TaskMapper.xml}. */
@Singleton
@Transactional
public class MyBatisTaskStore implements TaskStore {

    private final TaskMapper mapper;
    private final RunMapper runs;
    private final ListEngine lists;
    private final Clock clock;
    private final IdGenerator ids;

    @Inject
    MyBatisTaskStore(TaskMapper mapper, RunMapper runs, ListEngine lists, Clock clock, IdGenerator ids) {
        this.mapper = mapper;
        this.runs = runs;
        this.lists = lists;
        this.clock = clock;
        this.ids = ids;
    }

    @Override
    public Task createTask(Task task) {
        // no pod name is valid: KFP's launcher records each cached step so, several per run
        checkSizes(task);
        Task t = withEmptyStrings(copy(task));
        t.uuid = ids.newId();
        if (t.createdTimestamp == 0) {
            t.createdTimestamp = t.startedTimestamp != 0 ? t.startedTimestamp : clock.nowSeconds();
        }
        t.state = RuntimeStates.toV2(t.state);
        try {
            mapper.insertTask(t);
        } catch (PersistenceException e) {
            throw refused(e, t);
        }
        return t;
    }

    @Override
    public Task getTask(String id) {
        List<Task> found = mapper.listTasksByUuids(List.of(id));
        if (found.isEmpty()) {
            throw new NotFoundException("task " + id + " not found");
        }
        return found.get(0);
    }

    @Override
    @Transactional(isolation = Isolation.REPEATABLE_READ)
    public ListResult<Task> listTasks(FilterContext context, ListOptions options) {
        Tables.Tasks table = Tables.TASKS;
        Scope scope = Scope.of(context, Map.of(ResourceType.RUN, table.runUuid, ResourceType.PIPELINE, table.pipelineName));
        return lists.query(ListModels.TASKS, options, scope)
                .execute(mapper::selectTaskPage, mapper::countTasks, mapper::listTasksByUuids, t -> t.uuid);
    }

    /**
     * Race-free: callers for one run queue on the run's row lock (the lock order of every run
     * mutation: run row, then children), so each merges its report into what the previous one
     * committed. Then new pods' rows are inserted (skipped when a pod has one: the unique key
     * also guards writers that do not take the run lock, such as KFP's own servers), the pods'
     * rows are locked and read, and each is written merged. READ COMMITTED so that each locking
     * read sees the latest committed rows and MySQL takes no gap locks.
     */
    @Override
    @Transactional(isolation = Isolation.READ_COMMITTED)
    public List<Task> createOrUpdateTasks(String runId, List<Task> tasks) {
        if (runId == null || runId.isEmpty()) {
            throw new InvalidArgumentException("a run id is required to create or update its tasks");
        }
        Map<String, Task> byPod = new TreeMap<>();
        StringColumn.TASK_RUN_ID.check(runId);
        for (Task t : tasks) {
            requirePod(t);
            checkSizes(t);
            if (t.runId != null && !t.runId.isEmpty() && !t.runId.equals(runId)) {
                throw new InvalidArgumentException("task of pod " + t.podName + " belongs to run " + t.runId + ", not " + runId);
            }
            if (byPod.put(t.podName, t) != null) {
                throw new InvalidArgumentException("pod " + t.podName + " appears twice in one update of run " + runId);
            }
        }
        if (byPod.isEmpty()) {
            return List.of();
        }
        if (runs.lockRun(runId) == null) {
            throw new NotFoundException("run " + runId + " not found");
        }
        long now = clock.nowSeconds();
        Map<String, Task> stored = lockPods(runId, byPod.keySet());
        boolean missing = false;
        for (Task incoming : byPod.values()) {
            if (!stored.containsKey(incoming.podName)) {
                SqlErrors.insertedOrExists(() -> mapper.insertTaskIfAbsent(asNew(incoming, runId, now)));
                missing = true;
            }
        }
        if (missing) {
            stored = lockPods(runId, byPod.keySet()); // now with the new pods' rows
        }
        Map<String, Task> written = new HashMap<>();
        for (Task incoming : byPod.values()) {
            Task current = stored.get(incoming.podName);
            if (current == null) { // its UUID is another pod's task
                throw new InvalidArgumentException("task " + incoming.uuid + " of pod " + incoming.podName
                        + " is already another pod's task");
            }
            Task merged = merge(incoming, current, now);
            mapper.updateTask(merged);
            written.put(merged.podName, merged);
        }
        List<Task> result = new ArrayList<>(tasks.size());
        for (Task t : tasks) {
            result.add(written.get(t.podName));
        }
        return result;
    }

    private Map<String, Task> lockPods(String runId, java.util.Set<String> pods) {
        Map<String, Task> byPod = new HashMap<>();
        for (Task t : mapper.selectTasksOfPodsForUpdate(runId, pods)) {
            byPod.put(t.podName, t);
        }
        return byPod;
    }

    /** The row a new pod gets: KFP's defaults (new id, created now, v2 state, one history entry). */
    private Task asNew(Task incoming, String runId, long now) {
        Task t = withEmptyStrings(copy(incoming));
        t.runId = runId;
        if (t.uuid == null || t.uuid.isEmpty()) {
            t.uuid = ids.newId();
        }
        if (t.createdTimestamp == 0) {
            t.createdTimestamp = now;
        }
        t.state = RuntimeStates.toV2(t.state);
        t.stateHistory = RuntimeStates.withEntry(t.stateHistory, t.state, now);
        return t;
    }

    /** Incoming values over stored ones: an empty or zero incoming field keeps the stored value. */
    private static Task merge(Task in, Task stored, long now) {
        Task t = copy(stored);
        t.namespace = pick(in.namespace, stored.namespace);
        t.pipelineName = pick(in.pipelineName, stored.pipelineName);
        t.mlmdExecutionId = pick(in.mlmdExecutionId, stored.mlmdExecutionId);
        t.createdTimestamp = in.createdTimestamp != 0 ? in.createdTimestamp : stored.createdTimestamp;
        t.startedTimestamp = in.startedTimestamp != 0 ? in.startedTimestamp : stored.startedTimestamp;
        t.finishedTimestamp = in.finishedTimestamp != 0 ? in.finishedTimestamp : stored.finishedTimestamp;
        t.fingerprint = pick(in.fingerprint, stored.fingerprint);
        t.name = pick(in.name, stored.name);
        t.parentTaskId = pick(in.parentTaskId, stored.parentTaskId);
        String state = RuntimeStates.toV2(in.state);
        t.state = state.equals(RuntimeStates.UNSPECIFIED) && stored.state != null ? stored.state : state;
        t.mlmdInputs = pick(in.mlmdInputs, stored.mlmdInputs);
        t.mlmdOutputs = pick(in.mlmdOutputs, stored.mlmdOutputs);
        t.childrenPods = in.childrenPods == null || in.childrenPods.isEmpty() ? stored.childrenPods : in.childrenPods;
        t.stateHistory = RuntimeStates.withEntry(stored.stateHistory, t.state, now);
        return t;
    }

    private static String pick(String incoming, String stored) {
        return incoming == null || incoming.isEmpty() ? stored : incoming;
    }

    private static void requirePod(Task t) {
        if (t.podName == null || t.podName.isEmpty()) {
            throw new InvalidArgumentException("a task reported for its run needs a pod name");
        }
    }

    private static void checkSizes(Task t) {
        StringColumn.TASK_UUID.check(t.uuid);
        StringColumn.TASK_NAMESPACE.check(t.namespace);
        StringColumn.TASK_PIPELINE_NAME.check(t.pipelineName);
        StringColumn.TASK_RUN_ID.check(t.runId);
        StringColumn.TASK_POD_NAME.check(t.podName);
        StringColumn.TASK_EXECUTION_ID.check(t.mlmdExecutionId);
        StringColumn.TASK_FINGERPRINT.check(t.fingerprint);
        StringColumn.TASK_NAME.check(t.name);
        StringColumn.TASK_PARENT_TASK_ID.check(t.parentTaskId);
        StringColumn.TASK_STATE.check(t.state);
    }

    /** KFP's NOT NULL strings are empty, never null. */
    private static Task withEmptyStrings(Task t) {
        t.namespace = t.namespace == null ? "" : t.namespace;
        t.podName = t.podName == null ? "" : t.podName;
        t.pipelineName = t.pipelineName == null ? "" : t.pipelineName;
        t.mlmdExecutionId = t.mlmdExecutionId == null ? "" : t.mlmdExecutionId;
        t.fingerprint = t.fingerprint == null ? "" : t.fingerprint;
        return t;
    }

    private static RuntimeException refused(PersistenceException e, Task t) {
        if (SqlErrors.isForeignKeyViolation(e)) {
            return new NotFoundException("run " + t.runId + " not found", e);
        }
        if (SqlErrors.isDuplicateKey(e)) {
            return new AlreadyExistsException("run " + t.runId + " already has a task for pod " + t.podName, e);
        }
        return e;
    }

    static Task copy(Task s) {
        Task t = new Task();
        t.uuid = s.uuid;
        t.namespace = s.namespace;
        t.pipelineName = s.pipelineName;
        t.runId = s.runId;
        t.podName = s.podName;
        t.mlmdExecutionId = s.mlmdExecutionId;
        t.createdTimestamp = s.createdTimestamp;
        t.startedTimestamp = s.startedTimestamp;
        t.finishedTimestamp = s.finishedTimestamp;
        t.fingerprint = s.fingerprint;
        t.name = s.name;
        t.parentTaskId = s.parentTaskId;
        t.state = s.state;
        t.stateHistory = s.stateHistory == null ? new ArrayList<>() : new ArrayList<>(s.stateHistory);
        t.mlmdInputs = s.mlmdInputs;
        t.mlmdOutputs = s.mlmdOutputs;
        t.childrenPods = s.childrenPods == null ? new ArrayList<>() : new ArrayList<>(s.childrenPods);
        return t;
    }
}
