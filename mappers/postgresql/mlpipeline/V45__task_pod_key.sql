-- The pod key of migration 44: unique among a run's named pods, beside KFP's own indexes. A
-- database on which an earlier body of migration 20 ran has that body's key
-- uk_tasks_runuuid_podname (ours, not KFP's), which also refused several tasks without a pod
-- name: it goes once the new key exists. The rows that body deleted cannot be brought back.
-- PostgreSQL: a partial index leaves the tasks without a pod name out. CONCURRENTLY: building it
-- on a large tasks table does not block task writes (Flyway runs this file outside a transaction).
CREATE UNIQUE INDEX CONCURRENTLY uk_tasks_runuuid_podname_exemption
    ON tasks ("RunUUID", "PodName", "PodKeyExemption")
 WHERE "PodName" <> '';
DROP INDEX CONCURRENTLY IF EXISTS uk_tasks_runuuid_podname;
