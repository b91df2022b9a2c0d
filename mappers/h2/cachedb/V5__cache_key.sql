-- The cache key of migration 4: at most one row per key besides the exempted older rows, so that
-- a racing second insert fails instead of storing the key twice (reported as AlreadyExists).
CREATE UNIQUE INDEX uk_execution_caches_key_exemption ON execution_caches ("ExecutionCacheKey", "KeyExemption");
