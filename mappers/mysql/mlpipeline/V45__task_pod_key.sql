-- The pod key of migration 44: unique among a run's named pods, beside KFP's own indexes. A
-- database on which an earlier body of migration 20 ran has that body's key
-- uk_tasks_runuuid_podname (ours, not KFP's), which also refused several tasks without a pod
-- name: it goes once the new key exists. The rows that body deleted cannot be brought back.
-- 191 + 255 + 191 utf8mb4 characters: 2548 bytes, within InnoDB's 3072-byte key limit.
ALTER TABLE `tasks`
  ADD UNIQUE INDEX `uk_tasks_runuuid_podname_exemption` (`RunUUID`, `PodKey`, `PodKeyExemption`);

-- MySQL 8 has no DROP INDEX IF EXISTS: the statement is chosen from the catalog.
SET @drop_superseded_pod_key = (
  SELECT IF(COUNT(*) > 0, 'ALTER TABLE `tasks` DROP INDEX `uk_tasks_runuuid_podname`', 'DO 0')
    FROM information_schema.statistics
   WHERE table_schema = DATABASE()
     AND table_name = 'tasks'
     AND index_name = 'uk_tasks_runuuid_podname');
PREPARE drop_superseded_pod_key FROM @drop_superseded_pod_key;
EXECUTE drop_superseded_pod_key;
DEALLOCATE PREPARE drop_superseded_pod_key;
