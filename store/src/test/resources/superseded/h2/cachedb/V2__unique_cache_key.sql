-- One row per cache key; as the PostgreSQL migration: keep the newest row of each key
-- (greatest StartedAtInSec, then greatest ID), then make idx_cache_key unique.
DELETE FROM execution_caches AS older
 WHERE EXISTS (SELECT 1
                 FROM execution_caches AS newer
                WHERE newer."ExecutionCacheKey" = older."ExecutionCacheKey"
                  AND (newer."StartedAtInSec" > older."StartedAtInSec"
                       OR (newer."StartedAtInSec" = older."StartedAtInSec" AND newer."ID" > older."ID")));

DROP INDEX idx_cache_key;
CREATE UNIQUE INDEX idx_cache_key ON execution_caches ("ExecutionCacheKey");
