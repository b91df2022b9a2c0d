package kfp.store.mybatis;

import com.google.inject.Inject;
import com.google.inject.Singleton;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import kfp.store.api.AbortedException;
import kfp.store.api.AlreadyExistsException;
import kfp.store.api.Clock;
import kfp.store.api.ExperimentStore;
import kfp.store.api.FilterContext;
import kfp.store.api.IdGenerator;
import kfp.store.api.InvalidArgumentException;
import kfp.store.api.ListOptions;
import kfp.store.api.ListResult;
import kfp.store.api.NotFoundException;
import kfp.store.api.Relationship;
import kfp.store.api.ResourceReference;
import kfp.store.api.ResourceReferenceStore;
import kfp.store.api.ResourceType;
import kfp.store.api.RetryClaim;
import kfp.store.api.Run;
import kfp.store.api.RunCounters;
import kfp.store.api.RunMetric;
import kfp.store.api.RunStore;
import kfp.store.api.RuntimeStates;
import kfp.store.api.Task;
import kfp.store.list.Field;
import kfp.store.list.Filter;
import kfp.store.list.Operation;
import kfp.store.list.Predicate;
import kfp.store.list.SortKey;
import kfp.store.mybatis.Transactional.Isolation;
import kfp.store.mybatis.dynamic.ContextScope;
import kfp.store.mybatis.dynamic.ListEngine;
import kfp.store.mybatis.dynamic.ListModel;
import kfp.store.mybatis.dynamic.ListModels;
import kfp.store.mybatis.dynamic.ListQuery;
import kfp.store.mybatis.dynamic.PageRow;
import kfp.store.mybatis.dynamic.Scope;
import kfp.store.mybatis.dynamic.Tables;
import kfp.store.mybatis.mapper.RunMapper;
import kfp.store.mybatis.mapper.RunMapper.RetryState;
import kfp.store.mybatis.mapper.TaskMapper;
import org.apache.ibatis.exceptions.PersistenceException;
import org.mybatis.dynamic.sql.SqlColumn;
import org.mybatis.dynamic.sql.SqlTable;

/**
 * {@link RunStore} over {@code mappers/RunMapper.xml} (and the task statements of
 * {@code TaskMapper.xml}). Mutations of a run lock its row before touching its children, the
 * order the task store and GC use too.
 */
@Singleton
@Transactional
public class MyBatisRunStore implements RunStore {

    /** The column that holds the value a {@code metric:<name>} sort orders by (RunMapper.selectRunPage). */
    private static final SqlColumn<Double> SORT_METRIC_VALUE =
            SqlColumn.of("\"SortMetricValue\"", new SqlTable("run_page") { });

    /** ListModels.RUNS plus the {@code metric:<name>} sort (public for the plan tests of the list engine). */
    public static final ListModel RUNS = ListModels.RUNS.toBuilder()
            .dynamicSort("metric:", MyBatisRunStore::metricSortKey)
            .build();

    /** How a {@code metric:<name>} sort reads its page: chosen by cost, or forced (tests). */
    enum MetricPlan { BY_COST, INDEX_WALK, SCOPE_FIRST }

    /**
     * The cost of a walked metric index entry relative to a run read by the scope-first plan.
     * Per page of L rows (page size + 1) of a list of S runs in a table of N runs: scope-first
     * reads the S runs (a probe of run_metrics' primary key each) and sorts them; the walk reads
     * about L x N / S entries of the metric (at most one per run and node, the list's runs spread
     * among them), each checked with two primary-key probes (the run's other rows of the metric,
     * its run_details row). The walk wins when L x N / S x c < S, i.e. S >= sqrt(c x L x N):
     * about 320 runs for pages of 21 in a table of 10,000 runs, 3,200 at a million. c is about
     * 0.5 on MariaDB 10.11 (~5 us against ~10 us); N comes from the run counters (migration 41).
     */
    static final double WALKED_ENTRY_COST = 0.5;

    private final RunMapper runs;
    private final TaskMapper tasks;
    private final ResourceReferenceStore references;
    private final ExperimentStore experiments;
    private final ListEngine lists;
    private final Clock clock;
    private final IdGenerator ids;
    private final RunCounters counters;
    private volatile MetricPlan metricPlan = MetricPlan.BY_COST;

    @Inject
    MyBatisRunStore(RunMapper runs, TaskMapper tasks, ResourceReferenceStore references, ExperimentStore experiments,
            ListEngine lists, Clock clock, IdGenerator ids, RunCounters counters) {
        this.runs = runs;
        this.tasks = tasks;
        this.references = references;
        this.experiments = experiments;
        this.lists = lists;
        this.clock = clock;
        this.ids = ids;
        this.counters = counters;
    }

    /**
     * The metric name is matched exactly, byte for byte, on every database: "metric:Log-Loss"
     * sorts by the metric named Log-Loss (KFP lower-cased it, so on PostgreSQL mixed-case names
     * never matched: docs/kfp-compatibility.md#metric-names). It reaches SQL only as a bind value.
     */
    private static SortKey metricSortKey(String name) {
        if (name.isEmpty() || name.length() > StringColumn.METRIC_NAME.size() || name.indexOf('\0') >= 0) {
            throw new InvalidArgumentException("Invalid sorting field: a metric name has 1 to "
                    + StringColumn.METRIC_NAME.size() + " characters, none of them U+0000");
        }
        return new SortKey("metric:" + name, SORT_METRIC_VALUE, SortKey.Kind.NUMBER, true, name);
    }

    /**
     * READ COMMITTED: when a concurrent creation of the same scheduled run wins, the read that
     * returns it must see its commit (MySQL's REPEATABLE READ snapshot could predate it).
     */
    @Override
    @Transactional(isolation = Isolation.READ_COMMITTED)
    public Run createRun(Run r) {
        long now = clock.nowSeconds();
        normalise(r, now);
        if (r.experimentId.isEmpty()) {
            throw new InvalidArgumentException("Failed to store run " + r.uuid + ": a run needs an experiment");
        }
        checkSizes(r);
        if (!r.pipelineId.isEmpty()) {
            references.requireExists(ResourceType.PIPELINE, r.pipelineId);
        }
        if (!r.pipelineVersionId.isEmpty()) {
            references.requireExists(ResourceType.PIPELINE_VERSION, r.pipelineVersionId);
        }
        // experiment row first, as archiving the experiment does (a missing one is NotFound below)
        runs.lockExperimentOfNewRun(r.experimentId);
        if (!SqlErrors.insertedOrExists(() -> runs.insertRunIfAbsent(r))) {
            if (!r.recurringRunId.isEmpty()) {
                return getRun(r.uuid); // a scheduled run created twice: the first one stands
            }
            throw new AlreadyExistsException("Failed to store run " + r.uuid + ": a run with that id already exists");
        }
        r.resourceReferences = referencesOf(r);
        references.createResourceReferences(r.resourceReferences); // checks the experiment and recurring run exist
        experiments.setLastRunTimestamp(r.experimentId, r.createdAtInSec);
        return r;
    }

    private static void checkSizes(Run r) {
        StringColumn.RUN_UUID.check(r.uuid);
        StringColumn.RUN_DISPLAY_NAME.check(r.displayName);
        StringColumn.RUN_NAME.check(r.name);
        StringColumn.RUN_DESCRIPTION.check(r.description);
        StringColumn.RUN_NAMESPACE.check(r.namespace);
        StringColumn.RUN_EXPERIMENT_ID.check(r.experimentId);
        StringColumn.RUN_RECURRING_RUN_ID.check(r.recurringRunId);
        StringColumn.RUN_STORAGE_STATE.check(r.storageState);
        StringColumn.RUN_SERVICE_ACCOUNT.check(r.serviceAccount);
        StringColumn.RUN_PIPELINE_ID.check(r.pipelineId);
        StringColumn.RUN_PIPELINE_VERSION_ID.check(r.pipelineVersionId);
        StringColumn.RUN_PIPELINE_NAME.check(r.pipelineName);
        StringColumn.RUN_CONDITIONS.check(r.conditions);
        StringColumn.RUN_STATE.check(r.state);
    }

    /** The references KFP writes for a run, rebuilt from its fields (never taken from the caller). */
    private static List<ResourceReference> referencesOf(Run r) {
        List<ResourceReference> refs = new ArrayList<>();
        refs.add(ResourceReference.of(r.uuid, ResourceType.RUN, r.experimentId, ResourceType.EXPERIMENT, Relationship.OWNER));
        if (!r.namespace.isEmpty()) {
            refs.add(ResourceReference.of(r.uuid, ResourceType.RUN, r.namespace, ResourceType.NAMESPACE, Relationship.OWNER));
        }
        if (!r.recurringRunId.isEmpty()) {
            refs.add(ResourceReference.of(r.uuid, ResourceType.RUN, r.recurringRunId, ResourceType.JOB, Relationship.CREATOR));
        }
        return refs;
    }

    private void normalise(Run r, long now) {
        if (r.uuid == null || r.uuid.isEmpty()) {
            r.uuid = ids.newId();
        }
        boolean onlyConditions = (r.state == null || r.state.isEmpty()) && r.conditions != null && !r.conditions.isEmpty();
        r.state = RuntimeStates.toV2(onlyConditions ? r.conditions : r.state);
        r.conditions = RuntimeStates.toConditions(r.state);
        r.storageState = RuntimeStates.storageState(r.storageState);
        r.stateHistory = RuntimeStates.withEntry(r.stateHistory, r.state, now);
        if (r.createdAtInSec == 0) {
            r.createdAtInSec = now;
        }
        r.experimentId = orEmpty(r.experimentId);
        r.displayName = orEmpty(r.displayName);
        r.name = orEmpty(r.name);
        r.namespace = orEmpty(r.namespace);
        r.serviceAccount = orEmpty(r.serviceAccount);
        r.description = orEmpty(r.description);
        r.pipelineId = orEmpty(r.pipelineId);
        r.pipelineVersionId = orEmpty(r.pipelineVersionId);
        r.pipelineName = orEmpty(r.pipelineName);
        r.pipelineRuntimeManifest = orEmpty(r.pipelineRuntimeManifest);
        r.workflowRuntimeManifest = orEmpty(r.workflowRuntimeManifest);
        r.recurringRunId = orEmpty(r.recurringRunId);
        r.pluginsInput = emptyToNull(r.pluginsInput);
        r.pluginsOutput = emptyToNull(r.pluginsOutput);
    }

    @Override
    public Run getRun(String id) {
        List<Run> found = withChildren(runs.listRunsByUuids(List.of(id)));
        if (found.isEmpty()) {
            throw new NotFoundException("Run " + id + " not found");
        }
        return found.get(0);
    }

    /**
     * Scope, filter and sort pick the page's run ids by key (an index scan that stops after the
     * page); only then are those runs' wide columns and children read.
     */
    @Override
    @Transactional(isolation = Isolation.REPEATABLE_READ)
    public ListResult<Run> listRuns(FilterContext context, ListOptions options) {
        if (context.is(ResourceType.RECURRING_RUN)) { // runs name their recurring run as a Job reference
            context = FilterContext.of(ResourceType.JOB, context.referenceKey().id());
        }
        ListQuery q = lists.query(RUNS, options, Scope.writtenBy(ContextScope.of(context))); // RunMapper.xml, runScope
        long total = countRuns(q, context);
        return q.execute(query -> runPage(query, total), query -> total,
                ids -> withChildren(runs.listRunsByUuids(ids)), r -> r.uuid);
    }

    /**
     * The page's keys. A metric sort over a list large enough for {@link #WALKED_ENTRY_COST}'s
     * rule walks the metric's index (the runs with a value, then, if the page is not full, those
     * without); otherwise the list's runs are read first (RunMapper.xml, selectRunPage). Both
     * give the same rows and tokens.
     */
    private List<PageRow> runPage(ListQuery q, long total) {
        if (q.getSortArgument() == null || !walksMetricIndex(q, total)) {
            return runs.selectRunPage(q);
        }
        List<PageRow> rows = new ArrayList<>();
        if (q.getGroups().hasValueRows()) {
            rows.addAll(runs.selectRunPageByMetric(q));
        }
        if (rows.size() < q.getLimit()) {
            rows.addAll(runs.selectRunPageWithoutMetric(q, q.getLimit() - rows.size()));
        }
        return rows;
    }

    private boolean walksMetricIndex(ListQuery q, long listRuns) {
        return switch (metricPlan) {
            case INDEX_WALK -> true;
            case SCOPE_FIRST -> false;
            case BY_COST -> walkIsCheaper(listRuns, q.getLimit(), runs.sumAllRunCounts());
        };
    }

    /** {@link #WALKED_ENTRY_COST}'s rule: a list of listRuns runs, pages of limit rows, allRuns in the table. */
    static boolean walkIsCheaper(long listRuns, int limit, long allRuns) {
        return (double) listRuns * listRuns >= WALKED_ENTRY_COST * limit * allRuns;
    }

    /** Tests: force a metric sort's plan (BY_COST restores the choice). */
    void setMetricPlan(MetricPlan plan) {
        this.metricPlan = plan;
    }

    /**
     * total_size of a run list. The run_counts counters (migration 41) are kept by triggers on
     * run_details in the transaction of every change, so their sum is exact and belongs to the
     * list's snapshot; it reads a few counter rows where COUNT(*) reads every matching run. They
     * answer when {@link #countedByRunCounts} says so; any other list counts its runs.
     */
    private long countRuns(ListQuery q, FilterContext context) {
        // off where the database refused the counters' triggers (RunCounters.maintained)
        return counters.maintained() && countedByRunCounts(context, q.filter()) ? runs.sumRunCounts(q) : runs.countRuns(q);
    }

    /**
     * Whether run_counts can answer: the scope is none, a namespace or an experiment (their columns,
     * not a reference sub-query), and every predicate compares a counter key column, so that the
     * rendered WHERE means the same on both tables:
     * <ul>
     *   <li>namespace, experiment_id, storage_state (NOT NULL in run_details): EQUALS, NOT_EQUALS, IN;
     *   <li>state: EQUALS and IN with non-empty values only. The counters hold a NULL State as '',
     *       so {@code State = ''} and {@code State <> 'x'} would count NULL-state runs that
     *       run_details does not match.
     * </ul>
     */
    static boolean countedByRunCounts(FilterContext context, Filter filter) {
        if (context.key().isPresent() && !context.is(ResourceType.NAMESPACE) && !context.is(ResourceType.EXPERIMENT)) {
            return false;
        }
        Tables.Runs table = Tables.RUNS;
        for (Predicate p : filter.predicates()) {
            Object column = RUNS.field(p.key()).map(Field::column).orElse(null);
            Operation op = p.operation();
            boolean counted;
            if (column == table.namespace || column == table.experimentUuid || column == table.storageState) {
                counted = op == Operation.EQUALS || op == Operation.NOT_EQUALS || op == Operation.IN;
            } else if (column == table.state) {
                counted = (op == Operation.EQUALS || op == Operation.IN) && nonEmptyStrings(p.value());
            } else {
                counted = false;
            }
            if (!counted) {
                return false;
            }
        }
        return true;
    }

    private static boolean nonEmptyStrings(Object value) {
        List<?> values = value instanceof List<?> l ? l : List.of(value);
        return values.stream().allMatch(v -> v instanceof String s && !s.isEmpty());
    }

    /**
     * Attaches each run's references, tasks and metrics, read by key for all the runs at once (no
     * aggregate string, so nothing is truncated), and returns the runs in the order given. Empty
     * experiment, namespace and recurring-run columns (legacy rows) are filled from the references.
     */
    List<Run> withChildren(List<Run> page) {
        if (page.isEmpty()) {
            return page;
        }
        Map<String, Run> byId = new LinkedHashMap<>();
        page.forEach(r -> byId.put(r.uuid, r));
        Collection<String> runIds = byId.keySet();
        for (ResourceReference ref : references.listResourceReferences(ResourceType.RUN, runIds)) {
            byId.get(ref.resourceUuid()).addStoredReference(ref);
        }
        for (Task t : tasks.listTasksOfRuns(runIds)) {
            byId.get(t.runId).tasks.add(t);
        }
        for (RunMetric m : runs.listMetricsOfRuns(runIds)) {
            byId.get(m.runId).metrics.add(m);
        }
        return page;
    }

    @Override
    public void updateRun(Run report) {
        Run stored = lock(report.uuid);
        if (stored.retryGeneration != report.retryGeneration) {
            throw new AbortedException("Failed to update run " + report.uuid + ": retry generation "
                    + report.retryGeneration + " is not the run's current one (" + stored.retryGeneration + ")");
        }
        boolean onlyConditions = (report.state == null || report.state.isEmpty())
                && report.conditions != null && !report.conditions.isEmpty();
        stored.state = RuntimeStates.toV2(onlyConditions ? report.conditions : report.state);
        stored.conditions = report.conditions == null || report.conditions.isEmpty()
                ? RuntimeStates.toConditions(stored.state) : report.conditions;
        stored.stateHistory = RuntimeStates.withEntry(stored.stateHistory, stored.state, clock.nowSeconds());
        stored.finishedAtInSec = report.finishedAtInSec;
        stored.workflowRuntimeManifest = orEmpty(report.workflowRuntimeManifest);
        stored.pluginsOutput = emptyToNull(report.pluginsOutput);
        StringColumn.RUN_CONDITIONS.check(stored.conditions);
        runs.updateRunStatus(stored, report.pluginsOutput != null);
    }

    @Override
    public void updateRunPluginsOutput(String id, String pluginsOutput) {
        requireUpdated(runs.updateRunPluginsOutput(id, emptyToNull(pluginsOutput)), id);
    }

    @Override
    public void archiveRun(String id) {
        requireUpdated(runs.updateRunStorageState(id, RuntimeStates.ARCHIVED, clock.nowSeconds()), id);
    }

    @Override
    public void unarchiveRun(String id) {
        requireUpdated(runs.updateRunStorageState(id, RuntimeStates.AVAILABLE, 0), id);
    }

    @Override
    public void deleteRun(String id) {
        if (runs.lockRun(id) == null) {
            throw new NotFoundException("Run " + id + " not found");
        }
        deleteLocked(List.of(id));
    }

    /** Children first (not relying on the FK cascade, which KFP's databases may lack), then the runs. */
    private void deleteLocked(List<String> runIds) {
        runs.deleteMetricsOfRuns(runIds);
        tasks.deleteTasksOfRuns(runIds);
        references.deleteResourceReferences(runIds, ResourceType.RUN);
        runs.deleteRuns(runIds);
    }

    @Override
    public void createMetric(RunMetric m) {
        if (m.runId == null || m.nodeId == null || m.name == null || m.name.isEmpty()) {
            throw new InvalidArgumentException("a run metric needs a run id, a node id and a name");
        }
        StringColumn.METRIC_RUN_ID.check(m.runId);
        StringColumn.METRIC_NODE_ID.check(m.nodeId);
        StringColumn.METRIC_NAME.check(m.name);
        StringColumn.METRIC_FORMAT.check(m.format);
        if (m.numberValue != null && !Double.isFinite(m.numberValue)) {
            throw new InvalidArgumentException("Invalid run metric: number_value of metric " + m.name + " of node "
                    + m.nodeId + " is " + m.numberValue + "; only finite numbers are stored");
        }
        try {
            runs.insertMetric(m);
        } catch (PersistenceException e) {
            if (SqlErrors.isDuplicateKey(e)) {
                throw new AlreadyExistsException("Failed to create a run metric. Same metric has been reported before: "
                        + m.nodeId + "/" + m.name, e);
            }
            if (SqlErrors.isForeignKeyViolation(e)) {
                throw new NotFoundException("Run " + m.runId + " not found", e);
            }
            throw e;
        }
    }

    @Override
    public void terminateRun(String id) {
        Run stored = lock(id);
        String current = stored.state == null || stored.state.isEmpty()
                ? RuntimeStates.toV2(stored.conditions) : stored.state; // legacy rows: KFP could not terminate them
        if (!RuntimeStates.TERMINABLE.contains(current)) {
            throw new InvalidArgumentException("Failed to terminate a run " + id + ": it is " + current);
        }
        stored.state = RuntimeStates.CANCELING;
        stored.conditions = RuntimeStates.toConditions(RuntimeStates.CANCELING);
        stored.stateHistory = RuntimeStates.withEntry(stored.stateHistory, stored.state, clock.nowSeconds());
        runs.updateRunStatus(stored, false);
    }

    @Override
    public String getRunIdByRecurringRunIdAndDisplayName(String recurringRunId, String displayName) {
        String id = runs.selectRunIdByRecurringRunAndDisplayName(recurringRunId, displayName);
        return id == null ? "" : id;
    }

    /** READ COMMITTED: MySQL then locks only the rows it archives, not the gaps of the index range. */
    @Override
    @Transactional(isolation = Isolation.READ_COMMITTED)
    public int archiveExpiredRuns(long cutoffInSec, int batchSize) {
        List<String> candidates = runs.selectRunsToArchive(cutoffInSec, batch(batchSize),
                RuntimeStates.NOT_ARCHIVED, RuntimeStates.TERMINAL);
        if (candidates.isEmpty()) {
            return 0;
        }
        return runs.archiveExpiredRuns(candidates, clock.nowSeconds(), cutoffInSec,
                RuntimeStates.NOT_ARCHIVED, RuntimeStates.TERMINAL);
    }

    /**
     * Candidates by a plain read, then locked by primary key and re-checked, so that only the
     * batch's rows are ever locked (a locking scan may lock every row it reads, depending on the
     * plan). READ COMMITTED: the re-check sees the latest commit, and MySQL takes no gap locks.
     */
    @Override
    @Transactional(isolation = Isolation.READ_COMMITTED)
    public int deleteExpiredArchivedRuns(long cutoffInSec, int batchSize) {
        List<String> candidates = runs.selectArchivedRunsToDelete(cutoffInSec, batch(batchSize),
                RuntimeStates.ARCHIVED_STATES);
        if (candidates.isEmpty()) {
            return 0;
        }
        List<String> locked = runs.lockArchivedRunsToDelete(candidates, cutoffInSec, RuntimeStates.ARCHIVED_STATES);
        if (locked.isEmpty()) {
            return 0;
        }
        deleteLocked(locked);
        return locked.size();
    }

    private static int batch(int requested) {
        return requested <= 0 ? DEFAULT_GC_BATCH : Math.min(requested, MAX_GC_BATCH);
    }

    @Override
    public RetryClaim claimRunForRetry(String id, boolean takeoverExpiredClaim) {
        RetryState s = runs.selectRetryStateForUpdate(id);
        if (s == null) {
            throw new NotFoundException("Run " + id + " not found");
        }
        long now = clock.nowSeconds();
        boolean finished = s.state() == null || s.state().isEmpty()
                ? RuntimeStates.isTerminal(s.conditions()) : RuntimeStates.isTerminal(s.state());
        boolean abandoned = takeoverExpiredClaim && RuntimeStates.PENDING.equals(s.state()) && s.retryGeneration() > 0
                && (s.retryClaimedAtInSec() == 0 || now - s.retryClaimedAtInSec() >= RETRY_CLAIM_GRACE_SECONDS);
        if (!finished && !abandoned) {
            throw new AbortedException("Run " + id + " is not in a terminal state (" + s.state() + "); it cannot be retried");
        }
        long generation = s.retryGeneration() + 1;
        runs.updateRetryClaim(id, generation, now);
        return new RetryClaim(s.state(), s.conditions(), s.finishedAtInSec(), generation);
    }

    @Override
    public boolean rollbackRetryClaim(String id, RetryClaim claim) {
        return runs.rollbackRetryClaim(id, claim.previousState(), claim.previousConditions(),
                claim.previousFinishedAtInSec(), claim.generation()) == 1;
    }

    private Run lock(String id) {
        Run stored = runs.selectRunForUpdate(id);
        if (stored == null) {
            throw new NotFoundException("Run " + id + " not found");
        }
        return stored;
    }

    private static void requireUpdated(int rows, String id) {
        if (rows == 0) {
            throw new NotFoundException("Run " + id + " not found");
        }
    }

    private static String orEmpty(String s) {
        return s == null ? "" : s;
    }

    private static String emptyToNull(String s) {
        return s == null || s.isEmpty() ? null : s;
    }
}
