package kfp.store.mybatis.mapper;

import java.util.Collection;
import java.util.List;
import kfp.store.api.Job;
import kfp.store.api.JobSchedule;
import kfp.store.mybatis.dynamic.ListQuery;
import kfp.store.mybatis.dynamic.PageRow;
import org.apache.ibatis.annotations.Param;

/** Statements of {@code mappers/JobMapper.xml}. */
public interface JobMapper {

    int insertJob(@Param("j") Job job);

    List<Job> listJobsByUuids(@Param("ids") Collection<String> ids);

    List<PageRow> selectJobPage(@Param("q") ListQuery q);

    long countJobs(@Param("q") ListQuery q);

    int updateJobMode(@Param("id") String id, @Param("enabled") boolean enabled, @Param("now") long now);

    int updateJobSchedule(@Param("s") JobSchedule schedule, @Param("now") long now);

    int deleteJob(@Param("id") String id);
}
