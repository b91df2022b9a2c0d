package kfp.store.mybatis.mapper;

import java.util.List;
import kfp.store.api.Experiment;
import kfp.store.mybatis.dynamic.ListQuery;
import kfp.store.mybatis.dynamic.PageRow;
import org.apache.ibatis.annotations.Param;

/** Statements of {@code mappers/ExperimentMapper.xml}. */
public interface ExperimentMapper {

    int insertExperiment(@Param("e") Experiment e);

    Experiment selectExperiment(@Param("id") String id);

    Experiment selectExperimentByName(@Param("name") String name, @Param("namespace") String namespace);

    List<PageRow> selectExperimentPage(@Param("q") ListQuery q);

    long countExperiments(@Param("q") ListQuery q);

    List<Experiment> selectExperimentsByIds(@Param("ids") List<String> ids);

    int updateStorageState(@Param("id") String id, @Param("state") String state);

    java.util.List<String> lockRunsByReference(@Param("id") String id);

    java.util.List<String> lockRunsByExperiment(@Param("id") String id);

    int archiveRunsByReference(@Param("id") String id, @Param("now") long now);

    int archiveRunsByExperiment(@Param("id") String id, @Param("now") long now);

    int disableJobsByReference(@Param("id") String id, @Param("now") long now);

    int disableJobsByExperiment(@Param("id") String id, @Param("now") long now);

    int deleteExperiment(@Param("id") String id);

    int updateLastRunCreatedAt(@Param("id") String id, @Param("createdAt") long createdAt);
}
