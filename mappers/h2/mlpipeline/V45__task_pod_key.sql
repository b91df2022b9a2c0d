-- The pod key of migration 44: unique among a run's named pods, beside KFP's own indexes. A
-- database on which an earlier body of migration 20 ran has that body's key
-- uk_tasks_runuuid_podname (ours, not KFP's), which also refused several tasks without a pod
-- name: it goes once the new key exists. The rows that body deleted cannot be brought back.
CREATE UNIQUE INDEX uk_tasks_runuuid_podname_exemption ON tasks ("RunUUID", "PodKey", "PodKeyExemption");
DROP INDEX IF EXISTS uk_tasks_runuuid_podname;
