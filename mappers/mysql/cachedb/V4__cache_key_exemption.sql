-- One row per cache key from now on, added beside KFP's idx_cache_key (which stays as KFP
-- created it). KFP checked, then inserted, so racing watchers could store a key twice; the older
-- rows of such a key in an adopted database stay (KFP's lookup and ours return the newest) with
-- their own ID in "KeyExemption" (ours, 0 on every other row), outside the key of migration 5.
ALTER TABLE `execution_caches`
  ADD COLUMN `KeyExemption` bigint NOT NULL DEFAULT 0;

-- A self-join: MySQL cannot read the table it updates in a sub-query.
UPDATE `execution_caches` AS older
  JOIN `execution_caches` AS newer
    ON newer.`ExecutionCacheKey` = older.`ExecutionCacheKey`
   AND (newer.`StartedAtInSec` > older.`StartedAtInSec`
        OR (newer.`StartedAtInSec` = older.`StartedAtInSec` AND newer.`ID` > older.`ID`))
   SET older.`KeyExemption` = older.`ID`;

-- An earlier body of migration 2 made idx_cache_key unique: it gets back KFP's definition
-- (chosen from the catalog: MySQL has no conditional DDL).
SET @restore_cache_key = (
  SELECT IF(COUNT(*) > 0,
            'ALTER TABLE `execution_caches` DROP INDEX `idx_cache_key`, ADD INDEX `idx_cache_key` (`ExecutionCacheKey`)',
            'DO 0')
    FROM information_schema.statistics
   WHERE table_schema = DATABASE()
     AND table_name = 'execution_caches'
     AND index_name = 'idx_cache_key'
     AND non_unique = 0);
PREPARE restore_cache_key FROM @restore_cache_key;
EXECUTE restore_cache_key;
DEALLOCATE PREPARE restore_cache_key;
