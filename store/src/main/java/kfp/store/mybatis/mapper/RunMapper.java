package kfp.store.mybatis.mapper;

import java.util.Collection;
import java.util.List;
import kfp.store.api.Run;
import kfp.store.api.RunMetric;
import kfp.store.mybatis.dynamic.ListQuery;
import kfp.store.mybatis.dynamic.PageRow;
import org.apache.ibatis.annotations.Param;

/** Statements of {@code mappers/RunMapper.xml}. */
public interface RunMapper {

    /** The columns a retry claim reads and restores. */
    record RetryState(String state, String conditions, long finishedAtInSec, long retryGeneration,
            long retryClaimedAtInSec) {
    }

    /** 1 when inserted, 0 when the UUID exists; on H2 a duplicate-key error instead. */
    int insertRunIfAbsent(@Param("r") Run run);

    List<PageRow> selectRunPage(@Param("q") ListQuery q);

    /** A metric sort's runs with a value, walked in the metric index's order (q's value group). */
    List<PageRow> selectRunPageByMetric(@Param("q") ListQuery q);

    /** A metric sort's runs without a value (q's NULL group), at most {@code limit}. */
    List<PageRow> selectRunPageWithoutMetric(@Param("q") ListQuery q, @Param("limit") int limit);

    long countRuns(@Param("q") ListQuery q);

    /** total_size from run_counts: only for a list whose WHERE names nothing but the counters' key columns. */
    long sumRunCounts(@Param("q") ListQuery q);

    /** Every run in the table, from the counters. */
    long sumAllRunCounts();

    List<Run> listRunsByUuids(@Param("runIds") Collection<String> runIds);

    Run selectRunForUpdate(@Param("uuid") String uuid);

    /** The run's UUID, its row locked until the transaction ends; null when there is no such run. */
    String lockRun(@Param("uuid") String uuid);

    String lockExperimentOfNewRun(@Param("experimentId") String experimentId);

    int updateRunStatus(@Param("r") Run run, @Param("writePluginsOutput") boolean writePluginsOutput);

    int updateRunPluginsOutput(@Param("uuid") String uuid, @Param("output") String output);

    int updateRunStorageState(@Param("uuid") String uuid, @Param("storageState") String storageState,
            @Param("archivedAtInSec") long archivedAtInSec);

    int insertMetric(@Param("m") RunMetric metric);

    List<RunMetric> listMetricsOfRuns(@Param("runIds") Collection<String> runIds);

    String selectRunIdByRecurringRunAndDisplayName(@Param("recurringRunId") String recurringRunId,
            @Param("displayName") String displayName);

    RetryState selectRetryStateForUpdate(@Param("uuid") String uuid);

    int updateRetryClaim(@Param("uuid") String uuid, @Param("generation") long generation,
            @Param("claimedAtInSec") long claimedAtInSec);

    int rollbackRetryClaim(@Param("uuid") String uuid, @Param("state") String state,
            @Param("conditions") String conditions, @Param("finishedAtInSec") long finishedAtInSec,
            @Param("generation") long generation);

    List<String> selectRunsToArchive(@Param("cutoff") long cutoff, @Param("batch") int batch,
            @Param("notArchived") List<String> notArchived, @Param("terminal") List<String> terminal);

    int archiveExpiredRuns(@Param("runIds") Collection<String> runIds, @Param("now") long now,
            @Param("cutoff") long cutoff, @Param("notArchived") List<String> notArchived,
            @Param("terminal") List<String> terminal);

    List<String> selectArchivedRunsToDelete(@Param("cutoff") long cutoff, @Param("batch") int batch,
            @Param("archived") List<String> archived);

    List<String> lockArchivedRunsToDelete(@Param("runIds") Collection<String> runIds, @Param("cutoff") long cutoff,
            @Param("archived") List<String> archived);

    int deleteMetricsOfRuns(@Param("runIds") Collection<String> runIds);

    int deleteRuns(@Param("runIds") Collection<String> runIds);
}
