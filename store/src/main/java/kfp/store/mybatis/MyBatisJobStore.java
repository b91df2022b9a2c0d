package kfp.store.mybatis;

import com.google.inject.Inject;
import com.google.inject.Singleton;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import kfp.store.api.AlreadyExistsException;
import kfp.store.api.Clock;
import kfp.store.api.FilterContext;
import kfp.store.api.IdGenerator;
import kfp.store.api.Job;
import kfp.store.api.JobSchedule;
import kfp.store.api.JobStore;
import kfp.store.api.ListOptions;
import kfp.store.api.ListResult;
import kfp.store.api.NotFoundException;
import kfp.store.api.Relationship;
import kfp.store.api.ResourceReference;
import kfp.store.api.ResourceReferenceStore;
import kfp.store.api.ResourceType;
import kfp.store.mybatis.dynamic.ContextScope;
import kfp.store.mybatis.dynamic.ListEngine;
import kfp.store.mybatis.dynamic.ListModels;
import kfp.store.mybatis.dynamic.Scope;
import kfp.store.mybatis.mapper.JobMapper;

/** {@link JobStore} over {@code mappers/JobMapper.xml}; references through the reference store. */
@Singleton
@Transactional
public class MyBatisJobStore implements JobStore {

    private final JobMapper mapper;
    private final ResourceReferenceStore references;
    private final ListEngine lists;
    private final Clock clock;
    private final IdGenerator ids;

    @Inject
    MyBatisJobStore(JobMapper mapper, ResourceReferenceStore references, ListEngine lists, Clock clock, IdGenerator ids) {
        this.mapper = mapper;
        this.references = references;
        this.lists = lists;
        this.clock = clock;
        this.ids = ids;
    }

    @Override
    public Job createJob(Job j) {
        if (j.uuid == null || j.uuid.isEmpty()) {
            j.uuid = ids.newId();
        }
        j.createdAtInSec = j.updatedAtInSec = clock.nowSeconds();
        j.conditions = JobStore.toV2Status(j.conditions);
        j.displayName = orEmpty(j.displayName);
        j.name = orEmpty(j.name);
        j.namespace = orEmpty(j.namespace);
        j.serviceAccount = orEmpty(j.serviceAccount);
        j.description = orEmpty(j.description);
        j.experimentId = orEmpty(j.experimentId);
        j.pipelineId = orEmpty(j.pipelineId);
        j.pipelineVersionId = orEmpty(j.pipelineVersionId);
        j.pipelineName = orEmpty(j.pipelineName);
        j.pluginsInput = j.pluginsInput == null || j.pluginsInput.isEmpty() ? null : j.pluginsInput;
        StringColumn.JOB_UUID.check(j.uuid);
        StringColumn.JOB_DISPLAY_NAME.check(j.displayName);
        StringColumn.JOB_NAME.check(j.name);
        StringColumn.JOB_NAMESPACE.check(j.namespace);
        StringColumn.JOB_SERVICE_ACCOUNT.check(j.serviceAccount);
        StringColumn.JOB_DESCRIPTION.check(j.description);
        StringColumn.JOB_EXPERIMENT_ID.check(j.experimentId);
        StringColumn.JOB_SCHEDULE.check(j.schedule);
        StringColumn.JOB_PIPELINE_ID.check(j.pipelineId);
        StringColumn.JOB_PIPELINE_VERSION_ID.check(j.pipelineVersionId);
        StringColumn.JOB_PIPELINE_NAME.check(j.pipelineName);
        StringColumn.JOB_CONDITIONS.check(j.conditions);
        SqlErrors.insertUnique(() -> mapper.insertJob(j),
                e -> new AlreadyExistsException("Failed to create recurring run " + j.uuid + ": the id is in use"));
        j.resourceReferences = referencesOf(j);
        references.createResourceReferences(j.resourceReferences); // the experiment, pipeline and version must exist
        return j;
    }

    /** The references KFP writes for a job, rebuilt from its fields (never taken from the caller). */
    private static List<ResourceReference> referencesOf(Job j) {
        List<ResourceReference> refs = new ArrayList<>();
        add(refs, j, j.namespace, ResourceType.NAMESPACE, Relationship.OWNER);
        add(refs, j, j.experimentId, ResourceType.EXPERIMENT, Relationship.OWNER);
        add(refs, j, j.pipelineId, ResourceType.PIPELINE, Relationship.CREATOR);
        add(refs, j, j.pipelineVersionId, ResourceType.PIPELINE_VERSION, Relationship.CREATOR);
        return refs;
    }

    private static void add(List<ResourceReference> refs, Job j, String id, ResourceType type, Relationship rel) {
        if (!id.isEmpty()) {
            refs.add(ResourceReference.of(j.uuid, ResourceType.JOB, id, type, rel));
        }
    }

    @Override
    public Job getJob(String id) {
        List<Job> found = withReferences(mapper.listJobsByUuids(List.of(id)));
        if (found.isEmpty()) {
            throw new NotFoundException("Job " + id + " not found");
        }
        return found.get(0);
    }

    @Override
    @Transactional(isolation = Transactional.Isolation.REPEATABLE_READ)
    public ListResult<Job> listJobs(FilterContext context, ListOptions options) {
        Scope scope = Scope.writtenBy(ContextScope.of(context)); // JobMapper.xml, jobScope
        return lists.query(ListModels.JOBS, options, scope)
                .execute(mapper::selectJobPage, mapper::countJobs, ids -> withReferences(mapper.listJobsByUuids(ids)), j -> j.uuid);
    }

    /** Attaches the jobs' references (read by key); empty columns of legacy rows are filled from them. */
    private List<Job> withReferences(List<Job> jobs) {
        if (jobs.isEmpty()) {
            return jobs;
        }
        Map<String, Job> byId = new LinkedHashMap<>();
        jobs.forEach(j -> byId.put(j.uuid, j));
        for (ResourceReference ref : references.listResourceReferences(ResourceType.JOB, byId.keySet())) {
            byId.get(ref.resourceUuid()).addStoredReference(ref);
        }
        return jobs;
    }

    @Override
    public void changeJobMode(String id, boolean enabled) {
        if (mapper.updateJobMode(id, enabled, clock.nowSeconds()) == 0) {
            references.requireExists(ResourceType.JOB, id); // 0 rows: already in that mode, or no such job
        }
    }

    @Override
    public void updateJob(JobSchedule s) {
        s.conditions = JobStore.toV2Status(s.conditions);
        s.name = orEmpty(s.name);
        s.schedule = orEmpty(s.schedule);
        StringColumn.JOB_NAME.check(s.name);
        StringColumn.JOB_SCHEDULE.check(s.schedule);
        StringColumn.JOB_CONDITIONS.check(s.conditions);
        if (mapper.updateJobSchedule(s, clock.nowSeconds()) == 0) {
            throw new NotFoundException("There is no job corresponding to this scheduled workflow " + s.uuid);
        }
    }

    @Override
    public void deleteJob(String id) {
        if (mapper.deleteJob(id) == 0) {
            throw new NotFoundException("Job " + id + " not found");
        }
        references.deleteResourceReferences(id, ResourceType.JOB); // also the runs' Creator references to it
    }

    private static String orEmpty(String s) {
        return s == null ? "" : s;
    }
}
