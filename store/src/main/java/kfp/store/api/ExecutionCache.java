package kfp.store.api;

/**
 * One row of {@code execution_caches}: the outputs of a finished Argo step, found again by the
 * SHA-256 key of its template. Times are epoch seconds; {@code maxCacheStaleness} is in seconds,
 * negative meaning no limit.
 */
public record ExecutionCache(long id, String executionCacheKey, String executionTemplate, String executionOutput,
                             long maxCacheStaleness, long startedAtInSec, long endedAtInSec) {
}
