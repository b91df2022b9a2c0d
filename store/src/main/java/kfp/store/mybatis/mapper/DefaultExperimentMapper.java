package kfp.store.mybatis.mapper;

import org.apache.ibatis.annotations.Param;

/** Statements of {@code mappers/DefaultExperimentMapper.xml}. */
public interface DefaultExperimentMapper {

    /** Inserts the single row ('') unless the table has a row; a racing server may make it fail with a duplicate key. */
    int insertIfAbsent();

    String selectDefaultExperimentId();

    int updateIfUnset(@Param("id") String id);

    int clearIfMatches(@Param("id") String id);
}
