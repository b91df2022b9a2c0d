-- One row per cache key (KFP relied on check-then-insert, which racing watchers defeat).
-- A database KFP wrote may already hold several rows for a key: keep the one KFP's lookup would
-- return (greatest StartedAtInSec, then greatest ID) and delete the others, then make the key unique
-- under KFP's index name, so KFP's own server still finds idx_cache_key.
DELETE older
  FROM `execution_caches` AS older
  JOIN `execution_caches` AS newer
    ON newer.`ExecutionCacheKey` = older.`ExecutionCacheKey`
   AND (newer.`StartedAtInSec` > older.`StartedAtInSec`
        OR (newer.`StartedAtInSec` = older.`StartedAtInSec` AND newer.`ID` > older.`ID`));

ALTER TABLE `execution_caches`
  DROP INDEX `idx_cache_key`,
  ADD UNIQUE INDEX `idx_cache_key` (`ExecutionCacheKey`);
