package kfp.store.mybatis;

import com.google.inject.Inject;
import com.google.inject.Singleton;
import java.util.List;
import java.util.Optional;
import kfp.store.api.AlreadyExistsException;
import kfp.store.api.Clock;
import kfp.store.api.ExecutionCache;
import kfp.store.api.ExecutionCacheStore;
import kfp.store.api.InvalidArgumentException;
import kfp.store.api.NotFoundException;
import kfp.store.mybatis.mapper.ExecutionCacheMapper;
import kfp.store.mybatis.mapper.ExecutionCacheMapper.ExecutionCacheRow;
import org.apache.ibatis.exceptions.PersistenceException;

/** {@link ExecutionCacheStore} over {@code mappers/ExecutionCacheMapper.xml}. */
@Singleton
@Transactional
public class MyBatisExecutionCacheStore implements ExecutionCacheStore {

    private final ExecutionCacheMapper mapper;
    private final Clock clock;

    @Inject
    MyBatisExecutionCacheStore(ExecutionCacheMapper mapper, Clock clock) {
        this.mapper = mapper;
        this.clock = clock;
    }

    @Override
    @Transactional(autoCommit = true) // one SELECT: the webhook's hot path
    public Optional<ExecutionCache> getExecutionCache(String key, long cacheStaleness, long maximumCacheStaleness) {
        checkKey(key);
        if (cacheStaleness == 0) {
            return Optional.empty(); // KFP: "CacheStaleness=0, Cache is disabled."
        }
        long now = clock.nowSeconds();
        long oldestStartedAt = Long.MIN_VALUE;
        if (cacheStaleness > 0) {
            oldestStartedAt = now - cacheStaleness;
        }
        if (maximumCacheStaleness >= 0) {
            // KFP deleted these rows before every lookup; here they are only invisible until purged
            oldestStartedAt = Math.max(oldestStartedAt, now - maximumCacheStaleness);
        }
        return Optional.ofNullable(mapper.selectFreshByKey(key, now, oldestStartedAt));
    }

    @Override
    public ExecutionCache createExecutionCache(String key, String template, String output, long maxCacheStaleness) {
        checkKey(key);
        if (template == null || output == null) {
            throw new InvalidArgumentException("execution cache template and output must not be null");
        }
        long now = clock.nowSeconds();
        ExecutionCacheRow row = new ExecutionCacheRow(key, template, output, maxCacheStaleness, now);
        try {
            mapper.insertExecutionCache(row);
        } catch (PersistenceException e) {
            if (SqlErrors.isDuplicateKey(e)) {
                throw new AlreadyExistsException("execution cache with key " + key
                        + " already exists, failed to create new execution cache", e);
            }
            throw e;
        }
        return new ExecutionCache(row.id, key, template, output, maxCacheStaleness, now, now);
    }

    @Override
    public void deleteExecutionCache(long id) {
        if (mapper.deleteById(id) == 0) {
            throw new NotFoundException("execution cache " + id + " not found");
        }
    }

    @Override
    public int deleteExpired(long maximumCacheStaleness, int limit) {
        if (limit < 1) {
            throw new InvalidArgumentException("delete limit must be positive, got " + limit);
        }
        if (maximumCacheStaleness < 0) {
            return 0;
        }
        List<Long> ids = mapper.listIdsStartedBefore(clock.nowSeconds() - maximumCacheStaleness, limit);
        return ids.isEmpty() ? 0 : mapper.deleteByIds(ids);
    }

    private static void checkKey(String key) {
        if (key == null) {
            throw new InvalidArgumentException("execution cache key must not be null");
        }
        StringColumn.EXECUTION_CACHE_KEY.check(key);
    }
}
