-- KFP cache server table (database cachedb), as KFP creates it on PostgreSQL.
CREATE TABLE execution_caches (
  "ID"                bigserial NOT NULL,
  "ExecutionCacheKey" text      NOT NULL,
  "ExecutionTemplate" text      NOT NULL,
  "ExecutionOutput"   text      NOT NULL,
  "MaxCacheStaleness" bigint    NOT NULL,
  "StartedAtInSec"    bigint    NOT NULL,
  "EndedAtInSec"      bigint    NOT NULL,
  PRIMARY KEY ("ID")
);
CREATE INDEX composite_id_idx ON execution_caches ("ID", "StartedAtInSec");
CREATE INDEX idx_cache_key ON execution_caches ("ExecutionCacheKey");
