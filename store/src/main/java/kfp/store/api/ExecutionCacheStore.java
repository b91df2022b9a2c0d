package kfp.store.api;

import java.util.Optional;

/**
 * The cache server's {@code execution_caches} table, with KFP's staleness rules. Staleness values
 * are seconds; a negative value means "no limit".
 *
 * <p>Unlike KFP, a key has at most one row (a unique index, so racing writers cannot duplicate it),
 * and expiry is not a full-table delete inside every lookup: lookups ignore rows older than the
 * maximum staleness, and {@link #deleteExpired} removes them in bounded, index-driven batches.
 */
public interface ExecutionCacheStore {

    /**
     * The entry for {@code key} if it is fresh enough: younger than its own {@code MaxCacheStaleness},
     * than {@code cacheStaleness} and than {@code maximumCacheStaleness} (each when not negative).
     * A {@code cacheStaleness} of 0 disables the cache: always empty.
     */
    Optional<ExecutionCache> getExecutionCache(String key, long cacheStaleness, long maximumCacheStaleness);

    /**
     * Records a finished execution, started and ended now. A key that already has an entry, stale or
     * not, is refused with {@link AlreadyExistsException} (KFP: the first entry stays until it expires).
     */
    ExecutionCache createExecutionCache(String key, String template, String output, long maxCacheStaleness);

    /** Removes one entry; {@link NotFoundException} if there is none with that id. */
    void deleteExecutionCache(long id);

    /**
     * Deletes up to {@code limit} entries that started more than {@code maximumCacheStaleness}
     * seconds ago, oldest first, and returns how many went. Nothing when the maximum is negative.
     * Callers repeat while it returns {@code limit}.
     */
    int deleteExpired(long maximumCacheStaleness, int limit);
}
