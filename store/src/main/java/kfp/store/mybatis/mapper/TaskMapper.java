package kfp.store.mybatis.mapper;

import java.util.Collection;
import java.util.List;
import kfp.store.api.Task;
import kfp.store.mybatis.dynamic.ListQuery;
import kfp.store.mybatis.dynamic.PageRow;
import org.apache.ibatis.annotations.Param;

/** Statements of {@code mappers/TaskMapper.xml}. */
public interface TaskMapper {

    int insertTask(@Param("t") Task task);

    /** 1 when inserted, 0 when the pod's (or the UUID's) row exists; on H2 a duplicate-key error instead. */
    int insertTaskIfAbsent(@Param("t") Task task);

    List<PageRow> selectTaskPage(@Param("q") ListQuery q);

    long countTasks(@Param("q") ListQuery q);

    List<Task> listTasksByUuids(@Param("ids") Collection<String> ids);

    List<Task> selectTasksOfPodsForUpdate(@Param("runId") String runId, @Param("podNames") Collection<String> podNames);

    List<Task> listTasksOfRuns(@Param("runIds") Collection<String> runIds);

    int updateTask(@Param("t") Task task);

    int deleteTasksOfRuns(@Param("runIds") Collection<String> runIds);
}
