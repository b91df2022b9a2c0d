package kfp.store.mybatis.mapper;

import java.util.List;
import kfp.store.api.RunCounters.Counter;

/** Statements of {@code mappers/RunCountsMapper.xml}. */
public interface RunCountsMapper {

    List<String> selectRunCountTriggers();

    List<Counter> selectCountersOfRuns();

    List<Counter> selectCounters();

    int lockRunsForRecount();

    int deleteCounters();

    int insertCountersOfRuns();
}
