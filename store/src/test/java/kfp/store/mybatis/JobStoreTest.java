package kfp.store.mybatis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import kfp.store.api.AlreadyExistsException;
import kfp.store.api.FilterContext;
import kfp.store.api.Job;
import kfp.store.api.JobSchedule;
import kfp.store.api.JobStore;
import kfp.store.api.ListOptions;
import kfp.store.api.ListResult;
import kfp.store.api.NotFoundException;
import kfp.store.api.ResourceType;
import kfp.store.testing.OnEachDatabase;
import kfp.store.testing.StoreTest;
import kfp.store.testing.TestDatabase;

/** JobStore, with the cases of KFP's job store tests. */
@StoreTest
class JobStoreTest {

    static Job job(String id, String displayName, String experimentId) {
        Job j = new Job();
        j.uuid = id;
        j.displayName = displayName;
        j.name = "swf-" + id;
        j.namespace = "n1";
        j.serviceAccount = "pipeline-runner";
        j.maxConcurrency = 1;
        j.enabled = true;
        j.experimentId = experimentId;
        j.pipelineId = "p1";
        j.pipelineVersionId = "v1";
        j.pipelineName = "p-p1";
        j.conditions = "READY";
        j.cronScheduleStartTimeInSec = 1L;
        j.schedule = "1 * * * *";
        j.runtimeParameters = "{\"a\":1}";
        return j;
    }

    static JobStore fixture(TestDatabase db) {
        Rows.experiment(db, "exp1", "n1");
        Rows.experiment(db, "exp2", "n1");
        Rows.pipelineWithVersion(db, "p1", "v1");
        return db.get(JobStore.class);
    }

    @OnEachDatabase
    void createGetAndReferences(TestDatabase db) {
        JobStore store = fixture(db);
        Job in = job("j1", "job one", "exp1");
        in.pluginsInput = "";
        store.createJob(in);
        Job got = store.getJob("j1");
        assertThat(got).usingRecursiveComparison().ignoringCollectionOrderInFields("resourceReferences").isEqualTo(in);
        assertThat(got.createdAtInSec).isEqualTo(1);
        assertThat(got.updatedAtInSec).isEqualTo(1);
        assertThat(got.conditions).isEqualTo("ENABLED");
        assertThat(got.cronScheduleEndTimeInSec).isNull();
        assertThat(got.intervalSecond).isNull();
        assertThat(got.pluginsInput).isNull();
        assertThat(got.resourceReferences).extracting(r -> r.referenceType() + "/" + r.referenceUuid())
                .containsExactlyInAnyOrder("NAMESPACE/n1", "EXPERIMENT/exp1", "PIPELINE/p1", "PIPELINE_VERSION/v1");
        assertThatThrownBy(() -> store.getJob("nope")).isInstanceOf(NotFoundException.class).hasMessageContaining("Job nope not found");
        assertThatThrownBy(() -> store.createJob(job("j1", "again", "exp1"))).isInstanceOf(AlreadyExistsException.class);
    }

    @OnEachDatabase
    void createNeedsWhatItNames(TestDatabase db) {
        JobStore store = fixture(db);
        Job noExperiment = job("j1", "x", "nope");
        assertThatThrownBy(() -> store.createJob(noExperiment)).isInstanceOf(NotFoundException.class).hasMessageContaining("nope");
        Job noVersion = job("j2", "x", "exp1");
        noVersion.pipelineVersionId = "nope";
        assertThatThrownBy(() -> store.createJob(noVersion)).isInstanceOf(NotFoundException.class).hasMessageContaining("nope");
        assertThat(db.count("jobs")).isZero();
        assertThat(db.count("resource_references")).isZero();
    }

    @OnEachDatabase
    void enableAndDisable(TestDatabase db) {
        JobStore store = fixture(db);
        store.createJob(job("j1", "job", "exp1")); // clock 1
        store.changeJobMode("j1", true); // already enabled: no change (clock 2 read, unused)
        assertThat(store.getJob("j1").updatedAtInSec).isEqualTo(1);
        store.changeJobMode("j1", false); // clock 3
        Job got = store.getJob("j1");
        assertThat(got.enabled).isFalse();
        assertThat(got.updatedAtInSec).isEqualTo(3);
        store.changeJobMode("j1", true); // clock 4
        assertThat(store.getJob("j1").updatedAtInSec).isEqualTo(4);
        assertThatThrownBy(() -> store.changeJobMode("nope", true)).isInstanceOf(NotFoundException.class);
    }

    @OnEachDatabase
    void updateFromTheScheduledWorkflow(TestDatabase db) {
        JobStore store = fixture(db);
        store.createJob(job("j1", "job", "exp1"));
        JobSchedule s = new JobSchedule();
        s.uuid = "j1";
        s.name = "swf-renamed";
        s.enabled = false;
        s.conditions = "Disabled";
        s.maxConcurrency = 5;
        s.noCatchup = true;
        s.periodicScheduleStartTimeInSec = 10L;
        s.periodicScheduleEndTimeInSec = 20L;
        s.intervalSecond = 60;
        s.parameters = "[{\"name\":\"x\",\"value\":\"1\"}]";
        store.updateJob(s);
        Job got = store.getJob("j1");
        assertThat(got.name).isEqualTo("swf-renamed");
        assertThat(got.enabled).isFalse();
        assertThat(got.conditions).isEqualTo("DISABLED");
        assertThat(got.maxConcurrency).isEqualTo(5);
        assertThat(got.noCatchup).isTrue();
        assertThat(got.cronScheduleStartTimeInSec).isNull();
        assertThat(got.schedule).isEmpty();
        assertThat(got.periodicScheduleEndTimeInSec).isEqualTo(20L);
        assertThat(got.intervalSecond).isEqualTo(60L);
        assertThat(got.parameters).isEqualTo("[{\"name\":\"x\",\"value\":\"1\"}]");
        assertThat(got.runtimeParameters).isEqualTo("{\"a\":1}"); // not given: kept
        assertThat(got.namespace).isEqualTo("n1");
        assertThat(got.updatedAtInSec).isEqualTo(2);
        s.uuid = "nope";
        assertThatThrownBy(() -> store.updateJob(s)).isInstanceOf(NotFoundException.class).hasMessageContaining("There is no job");
    }

    @OnEachDatabase
    void deleteRemovesReferencesToAndFromTheJobButKeepsItsRuns(TestDatabase db) {
        JobStore store = fixture(db);
        store.createJob(job("j1", "job", "exp1"));
        store.createJob(job("j2", "job", "exp1"));
        kfp.store.api.Run r = RunStoreTest.run("r1", "exp1");
        r.recurringRunId = "j1";
        db.get(kfp.store.api.RunStore.class).createRun(r);
        store.deleteJob("j1");
        assertThatThrownBy(() -> store.getJob("j1")).isInstanceOf(NotFoundException.class);
        assertThat(db.query("SELECT \"ResourceUUID\", \"ReferenceType\" FROM resource_references WHERE \"ReferenceUUID\" = 'j1' OR \"ResourceUUID\" = 'j1'")).isEmpty();
        assertThat(db.get(kfp.store.api.RunStore.class).getRun("r1").recurringRunId).isEqualTo("j1");
        assertThat(store.getJob("j2").resourceReferences).hasSize(4);
        assertThatThrownBy(() -> store.deleteJob("j1")).isInstanceOf(NotFoundException.class);
    }

    /** KFP's TestListJobs_*: pagination both ways, totals, filter contexts. */
    @OnEachDatabase
    void listJobs(TestDatabase db) {
        JobStore store = fixture(db);
        store.createJob(job("j1", "b job", "exp1"));
        store.createJob(job("j2", "A job", "exp2"));
        Job other = job("j3", "c job", "exp2");
        other.namespace = "n2";
        store.createJob(other);

        ListResult<Job> page1 = store.listJobs(FilterContext.NONE, ListOptions.firstPage(2).withSortBy("name"));
        assertThat(page1.items()).extracting(j -> j.uuid).containsExactly("j2", "j1");
        assertThat(page1.totalSize()).isEqualTo(3);
        assertThat(page1.items().get(0).resourceReferences).hasSize(4);
        ListResult<Job> page2 = store.listJobs(FilterContext.NONE, ListOptions.firstPage(2).withPageToken(page1.nextPageToken()));
        assertThat(page2.items()).extracting(j -> j.uuid).containsExactly("j3");
        assertThat(page2.nextPageToken()).isEmpty();

        assertThat(store.listJobs(FilterContext.NONE, ListOptions.firstPage(10).withSortBy("created_at desc")).items())
                .extracting(j -> j.uuid).containsExactly("j3", "j2", "j1");
        assertThat(store.listJobs(FilterContext.of(ResourceType.EXPERIMENT, "exp1"), ListOptions.firstPage(10)).items())
                .extracting(j -> j.uuid).containsExactly("j1");
        ListResult<Job> inN1 = store.listJobs(FilterContext.of(ResourceType.NAMESPACE, "n1"), ListOptions.firstPage(10));
        assertThat(inN1.items()).extracting(j -> j.uuid).containsExactly("j1", "j2");
        assertThat(inN1.totalSize()).isEqualTo(2);
        assertThat(store.listJobs(FilterContext.of(ResourceType.PIPELINE_VERSION, "v1"), ListOptions.firstPage(10)).totalSize())
                .isEqualTo(3);
        String byName = "{\"predicates\":[{\"key\":\"name\",\"operation\":\"IN\",\"string_values\":{\"values\":[\"a JOB\",\"c job\"]}}]}";
        ListResult<Job> filtered = store.listJobs(FilterContext.NONE, ListOptions.firstPage(10).withFilter(byName));
        assertThat(filtered.items()).extracting(j -> j.uuid).containsExactly("j2", "j3");
        assertThat(filtered.totalSize()).isEqualTo(2);
        assertThat(List.of(filtered.nextPageToken())).containsExactly("");
    }
}
