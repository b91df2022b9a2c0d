-- One row per cache key from now on, added beside KFP's idx_cache_key (which stays as KFP
-- created it). KFP checked, then inserted, so racing watchers could store a key twice; the older
-- rows of such a key in an adopted database stay (KFP's lookup and ours return the newest) with
-- their own ID in "KeyExemption" (ours, 0 on every other row), outside the key of migration 5.
ALTER TABLE execution_caches
  ADD COLUMN "KeyExemption" bigint NOT NULL DEFAULT 0;

UPDATE execution_caches AS older
   SET "KeyExemption" = older."ID"
 WHERE EXISTS (SELECT 1
                 FROM execution_caches AS newer
                WHERE newer."ExecutionCacheKey" = older."ExecutionCacheKey"
                  AND (newer."StartedAtInSec" > older."StartedAtInSec"
                       OR (newer."StartedAtInSec" = older."StartedAtInSec" AND newer."ID" > older."ID")));

-- An earlier body of migration 2 made idx_cache_key unique: it gets back KFP's definition.
DO $$
BEGIN
  IF EXISTS (SELECT 1
               FROM pg_index
              WHERE indexrelid = to_regclass('idx_cache_key')
                AND indisunique) THEN
    DROP INDEX idx_cache_key;
    CREATE INDEX idx_cache_key ON execution_caches ("ExecutionCacheKey");
  END IF;
END
$$;
