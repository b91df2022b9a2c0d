-- The pod key of a run's tasks, added beside KFP's columns (nothing of KFP's is deleted or
-- changed). A pod identifies a task within its run when it has a name: KFP's create-or-update
-- assumes it without a key, so racing reports of one pod could insert it twice
-- (docs/kfp-compatibility.md#unique-task-pod); the tasks KFP's launcher writes for cached steps
-- have no pod name, several per run, and stay outside the key.
-- "PodKeyExemption" (ours) is '' on every row but the older rows of a pod such a race left in an
-- adopted database: those carry their own UUID, so they stay, readable, outside the key
-- (migration 45) that every new row of a named pod is under, whoever writes it.
ALTER TABLE tasks
  ADD COLUMN "PodKeyExemption" varchar(191) NOT NULL DEFAULT '';

UPDATE tasks AS older
   SET "PodKeyExemption" = older."UUID"
 WHERE older."PodName" <> ''
   AND EXISTS (SELECT 1
                 FROM tasks AS newer
                WHERE newer."RunUUID" = older."RunUUID"
                  AND newer."PodName" = older."PodName"
                  AND (newer."CreatedTimestamp" > older."CreatedTimestamp"
                       OR (newer."CreatedTimestamp" = older."CreatedTimestamp" AND newer."UUID" > older."UUID")));
