package kfp.store.mybatis.mapper;

import java.util.List;
import kfp.store.api.ExecutionCache;
import org.apache.ibatis.annotations.Param;

/** Statements of {@code mappers/ExecutionCacheMapper.xml}. */
public interface ExecutionCacheMapper {

    /** The newest row of the key started at or after {@code oldestStartedAt} that its own limit keeps fresh at {@code now}. */
    ExecutionCache selectFreshByKey(@Param("key") String key, @Param("now") long now,
                                    @Param("oldestStartedAt") long oldestStartedAt);

    int insertExecutionCache(ExecutionCacheRow row);

    int deleteById(@Param("id") long id);

    List<Long> listIdsStartedBefore(@Param("cutoff") long cutoff, @Param("limit") int limit);

    int deleteByIds(@Param("ids") List<Long> ids);

    /** The insert's parameter; MyBatis sets {@code id} from the generated key. */
    final class ExecutionCacheRow {
        public Long id;
        public final String key;
        public final String template;
        public final String output;
        public final long maxCacheStaleness;
        public final long now;

        public ExecutionCacheRow(String key, String template, String output, long maxCacheStaleness, long now) {
            this.key = key;
            this.template = template;
            this.output = output;
            this.maxCacheStaleness = maxCacheStaleness;
            this.now = now;
        }
    }
}
