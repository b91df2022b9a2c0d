package kfp.store.mybatis.mapper;

import java.util.Collection;
import java.util.List;
import org.apache.ibatis.annotations.Param;

/** Statements of {@code mappers/ResourceReferenceMapper.xml}. */
public interface ResourceReferenceMapper {

    ResourceReferenceRow selectReference(@Param("resourceId") String resourceId,
            @Param("resourceType") String resourceType, @Param("referenceType") String referenceType);

    /** Rows with this UUID in the table of {@code type} (Experiment, Job, RecurringRun, Run, pipeline, PipelineVersion). */
    int countReferenced(@Param("type") String type, @Param("id") String id);

    int insertReferences(@Param("rows") List<ResourceReferenceRow> rows);

    int deleteReferencesFrom(@Param("ids") Collection<String> ids, @Param("type") String type);

    int deleteReferencesTo(@Param("ids") Collection<String> ids, @Param("type") String type);

    List<ResourceReferenceRow> listReferencesOf(@Param("resourceType") String resourceType,
            @Param("ids") Collection<String> ids);
}
