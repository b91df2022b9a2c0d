-- One row per cache key (KFP relied on check-then-insert, which racing watchers defeat).
-- A database KFP wrote may already hold several rows for a key: keep the one KFP's lookup would
-- return (greatest StartedAtInSec, then greatest ID) and delete the others, then make the key unique
-- under KFP's index name, so KFP's own server still finds idx_cache_key. The lock keeps a running
-- KFP cache server from inserting a new duplicate between the delete and the index.
LOCK TABLE execution_caches IN SHARE ROW EXCLUSIVE MODE;

DELETE FROM execution_caches AS older
 USING execution_caches AS newer
 WHERE newer."ExecutionCacheKey" = older."ExecutionCacheKey"
   AND (newer."StartedAtInSec" > older."StartedAtInSec"
        OR (newer."StartedAtInSec" = older."StartedAtInSec" AND newer."ID" > older."ID"));

DROP INDEX idx_cache_key;
CREATE UNIQUE INDEX idx_cache_key ON execution_caches ("ExecutionCacheKey");
