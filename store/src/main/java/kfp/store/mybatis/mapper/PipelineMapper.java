package kfp.store.mybatis.mapper;

import java.util.Collection;
import java.util.List;
import kfp.store.api.Pipeline;
import kfp.store.api.PipelineStatus;
import kfp.store.api.PipelineVersion;
import kfp.store.mybatis.dynamic.ListQuery;
import kfp.store.mybatis.dynamic.PageRow;
import org.apache.ibatis.annotations.Param;

/** Statements of {@code mappers/PipelineMapper.xml}. */
public interface PipelineMapper {

    int insertPipeline(@Param("p") Pipeline p);

    /** By id, and status unless null. */
    Pipeline selectPipeline(@Param("id") String id, @Param("status") PipelineStatus status);

    Pipeline selectPipelineByName(@Param("name") String name, @Param("namespace") String namespace);

    List<PageRow> selectPipelinePage(@Param("q") ListQuery q);

    long countPipelines(@Param("q") ListQuery q);

    List<Pipeline> selectPipelinesByIds(@Param("ids") Collection<String> ids);

    int updatePipelineStatus(@Param("id") String id, @Param("status") PipelineStatus status);

    int updatePipelineDefaultVersion(@Param("id") String id, @Param("versionId") String versionId);

    int updatePipelineDisplayName(@Param("id") String id, @Param("displayName") String displayName);

    int deletePipeline(@Param("id") String id);

    int insertVersion(@Param("v") PipelineVersion v);

    PipelineVersion selectVersion(@Param("id") String id, @Param("status") PipelineStatus status);

    PipelineVersion selectVersionByName(@Param("pipelineId") String pipelineId, @Param("name") String name);

    PipelineVersion selectLatestVersion(@Param("pipelineId") String pipelineId);

    List<String> selectLatestVersionIds(@Param("ids") Collection<String> pipelineIds);

    List<PageRow> selectVersionPage(@Param("q") ListQuery q);

    long countVersions(@Param("q") ListQuery q);

    List<PipelineVersion> selectVersionsByIds(@Param("ids") Collection<String> ids);

    int updateVersionStatus(@Param("id") String id, @Param("status") PipelineStatus status);

    int updateVersionDisplayName(@Param("id") String id, @Param("displayName") String displayName);

    int deleteVersion(@Param("id") String id);

    List<TagRow> selectPipelineTags(@Param("ids") Collection<String> ids);

    int upsertPipelineTags(@Param("ownerId") String ownerId, @Param("tags") List<TagRow> tags);

    int deletePipelineTagsExcept(@Param("ownerId") String ownerId, @Param("keep") Collection<String> keep);

    List<TagRow> selectVersionTags(@Param("ids") Collection<String> ids);

    int upsertVersionTags(@Param("ownerId") String ownerId, @Param("tags") List<TagRow> tags);

    int deleteVersionTagsExcept(@Param("ownerId") String ownerId, @Param("keep") Collection<String> keep);
}
