package kfp.store.mybatis.mapper;

/** Statements of {@code mappers/DBStatusMapper.xml}. */
public interface DBStatusMapper {

    /** Inserts the single row (false) unless one exists; a racing server may make it fail with a duplicate key. */
    int insertIfAbsent();

    Boolean selectHaveSamplesLoaded();

    int updateHaveSamplesLoaded();
}
