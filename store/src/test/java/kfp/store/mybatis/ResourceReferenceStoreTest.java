package kfp.store.mybatis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import kfp.store.api.AlreadyExistsException;
import kfp.store.api.Experiment;
import kfp.store.api.ExperimentStore;
import kfp.store.api.NotFoundException;
import kfp.store.api.Relationship;
import kfp.store.api.ResourceReference;
import kfp.store.api.ResourceReferenceStore;
import kfp.store.api.ResourceType;
import kfp.store.testing.OnEachDatabase;
import kfp.store.testing.StoreTest;
import kfp.store.testing.TestDatabase;

/** ResourceReferenceStore, with the cases of KFP's TestResourceReferenceStore. */
@StoreTest
class ResourceReferenceStoreTest {

    @OnEachDatabase
    void createGetAndDeleteBothDirections(ResourceReferenceStore refs, ExperimentStore experiments, TestDatabase db) {
        String e1 = experiments.createExperiment(Experiment.newExperiment("e1", "", "ns")).uuid();
        ExperimentStoreTest.insertJob(db, "job1", e1);
        ResourceReference runToExp = ResourceReference.of("run1", ResourceType.RUN, e1, ResourceType.EXPERIMENT, Relationship.OWNER);
        ResourceReference runToJob = ResourceReference.of("run1", ResourceType.RUN, "job1", ResourceType.JOB, Relationship.CREATOR);
        ResourceReference expToNs = ResourceReference.of(e1, ResourceType.EXPERIMENT, "ns", ResourceType.NAMESPACE, Relationship.OWNER);
        ResourceReference unrelated = ResourceReference.of("run2", ResourceType.RUN, "job1", ResourceType.JOB, Relationship.CREATOR);
        refs.createResourceReferences(List.of(runToExp, runToJob, expToNs, unrelated));

        assertThat(refs.getResourceReference("run1", ResourceType.RUN, ResourceType.EXPERIMENT)).isEqualTo(runToExp);
        assertThat(db.queryValue("SELECT \"Payload\" FROM resource_references WHERE \"ResourceUUID\" = 'run1'"
                + " AND \"ReferenceType\" = 'Experiment'")).isEqualTo("{\"ResourceUUID\":\"run1\",\"ResourceType\":\"Run\","
                + "\"ReferenceUUID\":\"" + e1 + "\",\"ReferenceName\":\"\",\"ReferenceType\":\"Experiment\","
                + "\"Relationship\":\"Owner\",\"Payload\":\"\"}");

        refs.deleteResourceReferences(e1, ResourceType.EXPERIMENT);
        assertThatThrownBy(() -> refs.getResourceReference("run1", ResourceType.RUN, ResourceType.EXPERIMENT))
                .isInstanceOf(NotFoundException.class).hasMessageContaining("Resource ID: run1");
        assertThatThrownBy(() -> refs.getResourceReference(e1, ResourceType.EXPERIMENT, ResourceType.NAMESPACE))
                .isInstanceOf(NotFoundException.class);
        assertThat(refs.getResourceReference("run1", ResourceType.RUN, ResourceType.JOB)).isEqualTo(runToJob);
        assertThat(refs.getResourceReference("run2", ResourceType.RUN, ResourceType.JOB)).isEqualTo(unrelated);
    }

    @OnEachDatabase
    void missingReferencedObjectStoresNothing(ResourceReferenceStore refs, TestDatabase db) {
        for (ResourceType type : List.of(ResourceType.EXPERIMENT, ResourceType.JOB, ResourceType.PIPELINE,
                ResourceType.PIPELINE_VERSION, ResourceType.RUN)) {
            assertThatThrownBy(() -> refs.createResourceReferences(List.of(
                    ResourceReference.of("run1", ResourceType.RUN, "ns", ResourceType.NAMESPACE, Relationship.OWNER),
                    ResourceReference.of("run1", ResourceType.RUN, "e1", type, Relationship.OWNER))))
                    .isInstanceOf(NotFoundException.class).hasMessageContaining(type.stored() + " e1 not found");
        }
        assertThat(db.count("resource_references")).isZero();
    }

    @OnEachDatabase
    void secondReferenceOfATypeIsAlreadyExists(ResourceReferenceStore refs, TestDatabase db) {
        ResourceReference ns = ResourceReference.of("run1", ResourceType.RUN, "ns", ResourceType.NAMESPACE, Relationship.OWNER);
        refs.createResourceReferences(List.of(ns));
        assertThatThrownBy(() -> refs.createResourceReferences(List.of(ns))).isInstanceOf(AlreadyExistsException.class);
        assertThatThrownBy(() -> refs.createResourceReferences(List.of(
                ResourceReference.of("run2", ResourceType.RUN, "a", ResourceType.NAMESPACE, Relationship.OWNER),
                ResourceReference.of("run2", ResourceType.RUN, "b", ResourceType.NAMESPACE, Relationship.OWNER))))
                .isInstanceOf(AlreadyExistsException.class);
        assertThat(db.count("resource_references")).isEqualTo(1);
    }

    /**
     * Every resource type answers the existence check: found, NotFound, or (a namespace, which is
     * not stored) always there. A type without a table of its own once rendered
     * {@code SELECT COUNT(*) FROM WHERE ...}, a syntax error on every database.
     */
    @OnEachDatabase
    void everyResourceTypeAnswersTheExistenceCheck(ResourceReferenceStore refs, TestDatabase db) {
        Rows.experiment(db, "e1", "ns");
        Rows.job(db, "j1", "e1");
        Rows.run(db, "r1", "e1");
        Rows.pipelineWithVersion(db, "p1", "v1");
        Map<ResourceType, String> existing = Map.of(ResourceType.EXPERIMENT, "e1", ResourceType.JOB, "j1",
                ResourceType.RECURRING_RUN, "j1", ResourceType.RUN, "r1", ResourceType.PIPELINE, "p1",
                ResourceType.PIPELINE_VERSION, "v1", ResourceType.NAMESPACE, "ns");
        for (ResourceType type : ResourceType.values()) {
            assertThat(existing).as("a fixture row for " + type).containsKey(type);
            refs.requireExists(type, existing.get(type));
            if (type == ResourceType.NAMESPACE) {
                refs.requireExists(type, "no-such-namespace");
            } else {
                assertThatThrownBy(() -> refs.requireExists(type, "missing"))
                        .isInstanceOf(NotFoundException.class).hasMessage(type.stored() + " missing not found");
            }
        }
    }
}
