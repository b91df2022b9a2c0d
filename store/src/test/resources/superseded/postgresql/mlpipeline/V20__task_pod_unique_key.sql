-- A pod identifies a task within its run: KFP's create-or-update assumes it but had no key, so
-- concurrent reports of one pod could insert it twice (KFP quirk §9.19). Rows such a race left in
-- an adopted database are collapsed first, keeping the newest row of each pod.
DELETE FROM tasks
 WHERE EXISTS (
       SELECT 1
         FROM tasks AS newer
        WHERE newer."RunUUID" = tasks."RunUUID"
          AND newer."PodName" = tasks."PodName"
          AND (newer."CreatedTimestamp" > tasks."CreatedTimestamp"
               OR (newer."CreatedTimestamp" = tasks."CreatedTimestamp" AND newer."UUID" > tasks."UUID")));

CREATE UNIQUE INDEX uk_tasks_runuuid_podname ON tasks ("RunUUID", "PodName");
