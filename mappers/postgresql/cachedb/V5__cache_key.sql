-- The cache key of migration 4: at most one row per key besides the exempted older rows, so that
-- a racing second insert fails instead of storing the key twice (reported as AlreadyExists).
-- CONCURRENTLY: no write waits for the build (Flyway runs this file outside a transaction).
CREATE UNIQUE INDEX CONCURRENTLY uk_execution_caches_key_exemption
    ON execution_caches ("ExecutionCacheKey", "KeyExemption");
