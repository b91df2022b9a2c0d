package kfp.store.mybatis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import kfp.store.api.AlreadyExistsException;
import kfp.store.api.FilterContext;
import kfp.store.api.InvalidArgumentException;
import kfp.store.api.ListOptions;
import kfp.store.api.ListResult;
import kfp.store.api.NotFoundException;
import kfp.store.api.Pipeline;
import kfp.store.api.PipelineAndVersion;
import kfp.store.api.PipelineStatus;
import kfp.store.api.PipelineStore;
import kfp.store.api.PipelineVersion;
import kfp.store.api.ResourceType;
import kfp.store.testing.OnEachDatabase;
import kfp.store.testing.StoreTest;
import kfp.store.testing.TestDatabase;

/**
 * PipelineStore, with the cases of KFP's pipeline store tests and the fixes of
 * {@code docs/kfp-compatibility.md#substring-escape}, {@code #empty-namespace}, {@code #duplicate-version},
 * {@code #latest-version} and {@code #unknown-ids}.
 */
@StoreTest
class PipelineStoreTest {

    static final FilterContext ALL = FilterContext.NONE;

    static Pipeline pipeline(PipelineStore s, String name) {
        return pipeline(s, name, "", Map.of());
    }

    static Pipeline pipeline(PipelineStore s, String name, String namespace, Map<String, String> tags) {
        return s.createPipeline(Pipeline.newPipeline(name, name + " display", "about " + name, namespace, tags));
    }

    static PipelineVersion version(PipelineStore s, String pipelineId, String name) {
        return version(s, pipelineId, name, Map.of());
    }

    static PipelineVersion version(PipelineStore s, String pipelineId, String name, Map<String, String> tags) {
        return s.createPipelineVersion(PipelineVersion.newVersion(pipelineId, name, name + " display", "v " + name,
                "spec of " + name, "uri/" + name, "https://code/" + name, tags));
    }

    static List<String> names(ListResult<Pipeline> r) {
        return r.items().stream().map(Pipeline::name).toList();
    }

    static List<String> versionNames(ListResult<PipelineVersion> r) {
        return r.items().stream().map(PipelineVersion::name).toList();
    }

    static String filter(String key, String op, String valueJson) {
        return "{\"predicates\":[{\"key\":\"" + key + "\",\"operation\":\"" + op + "\"," + valueJson + "}]}";
    }

    @OnEachDatabase
    void createAndGetPipeline(PipelineStore s) {
        Pipeline p = pipeline(s, "p1", "ns", Map.of("env", "prod"));
        assertThat(p.uuid()).isNotEmpty();
        assertThat(p.createdAtInSec()).isEqualTo(1);
        assertThat(p.status()).isEqualTo(PipelineStatus.READY);
        assertThat(s.getPipeline(p.uuid())).isEqualTo(p);
        assertThat(p.tags()).containsExactly(Map.entry("env", "prod"));
        assertThat(s.getPipelineByNameAndNamespace("P1", "ns")).isEqualTo(p);
    }

    @OnEachDatabase
    void duplicatePipelineNameIsAlreadyExistsIgnoringCase(PipelineStore s, TestDatabase db) {
        pipeline(s, "default pipeline");
        assertThatThrownBy(() -> pipeline(s, "Default Pipeline")).isInstanceOf(AlreadyExistsException.class)
                .hasMessageContaining("Failed to create a new pipeline. The name Default Pipeline already exists");
        assertThatThrownBy(() -> s.createPipelineAndPipelineVersion(
                Pipeline.newPipeline("default pipeline", "", "", "", Map.of()),
                PipelineVersion.newVersion("", "v1", "", "", "spec", "", "", Map.of())))
                .isInstanceOf(AlreadyExistsException.class)
                .hasMessageContaining("The name default pipeline already exists");
        assertThat(db.count("pipelines")).isEqualTo(1);
        assertThat(db.count("pipeline_versions")).isZero();
        pipeline(s, "default pipeline", "other-namespace", Map.of());
    }

    /** KFP's TestPipelineStore_CreatePipelineAndPipelineVersion. */
    @OnEachDatabase
    void createPipelineAndVersionTogetherIsCreating(PipelineStore s, TestDatabase db) {
        PipelineAndVersion pv = s.createPipelineAndPipelineVersion(
                Pipeline.newPipeline("p", "P", "d", "", Map.of("a", "1")),
                PipelineVersion.newVersion("ignored", "v1", "V1", "", "spec", "uri", "", Map.of("b", "2")));
        assertThat(pv.pipeline().status()).isEqualTo(PipelineStatus.CREATING);
        assertThat(pv.version().status()).isEqualTo(PipelineStatus.CREATING);
        assertThat(pv.pipeline().createdAtInSec()).isEqualTo(1);
        assertThat(pv.version().createdAtInSec()).isEqualTo(2);
        assertThat(pv.version().pipelineId()).isEqualTo(pv.pipeline().uuid());
        assertThat(s.getPipelineWithStatus(pv.pipeline().uuid(), PipelineStatus.CREATING).tags()).containsEntry("a", "1");
        assertThat(s.getPipelineVersionWithStatus(pv.version().uuid(), PipelineStatus.CREATING).tags()).containsEntry("b", "2");
        // a CREATING pipeline or version is not found by the plain reads
        assertThatThrownBy(() -> s.getPipeline(pv.pipeline().uuid())).isInstanceOf(NotFoundException.class);
        assertThatThrownBy(() -> s.getPipelineVersion(pv.version().uuid())).isInstanceOf(NotFoundException.class);
        // the same version name under another new pipeline is fine
        s.createPipelineAndPipelineVersion(Pipeline.newPipeline("p2", "", "", "", Map.of()),
                PipelineVersion.newVersion("", "v1", "", "", "spec", "", "", Map.of()));
        assertThat(db.count("pipeline_versions")).isEqualTo(2);
    }

    /** A pipeline created together with a bad version is not left behind. */
    @OnEachDatabase
    void failedCreateTogetherStoresNothing(PipelineStore s, TestDatabase db) {
        assertThatThrownBy(() -> s.createPipelineAndPipelineVersion(Pipeline.newPipeline("p", "", "", "", Map.of("a", "1")),
                PipelineVersion.newVersion("", "v".repeat(128), "", "", "spec", "", "", Map.of())))
                .isInstanceOf(InvalidArgumentException.class);
        assertThatThrownBy(() -> s.createPipelineAndPipelineVersion(Pipeline.newPipeline("p", "", "", "", Map.of("a", "1")),
                PipelineVersion.newVersion("", "v", "", "", "spec", "", "", Map.of("bad.key", "x"))))
                .isInstanceOf(InvalidArgumentException.class);
        assertThat(db.count("pipelines")).isZero();
        assertThat(db.count("pipeline_tags")).isZero();
        assertThat(db.count("pipeline_versions")).isZero();
    }

    @OnEachDatabase
    void mutationsOfMissingRowsAreNotFound(PipelineStore s) {
        for (Runnable r : List.<Runnable>of(
                () -> s.getPipeline("nope"),
                () -> s.getPipelineByNameAndNamespace("nope", ""),
                () -> s.getPipelineByNameAndNamespaceV1("nope", ""),
                () -> s.updatePipelineStatus("nope", PipelineStatus.READY),
                () -> s.updatePipelineDefaultVersion("nope", "v"),
                () -> s.updatePipelineFields("nope", "x", null),
                () -> s.createOrUpdatePipelineTags("nope", Map.of("a", "b")),
                () -> s.deletePipeline("nope"),
                () -> s.getPipelineVersion("nope"),
                () -> s.getLatestPipelineVersion("nope"),
                () -> s.getPipelineVersionByName("nope", "v"),
                () -> s.updatePipelineVersionStatus("nope", PipelineStatus.READY),
                () -> s.updatePipelineVersionFields("nope", "x", null),
                () -> s.deletePipelineVersion("nope"),
                () -> version(s, "nope", "v1"))) {
            assertThatThrownBy(r::run).isInstanceOf(NotFoundException.class);
        }
    }

    /** '' is the shared namespace, not "any namespace" ({@code docs/kfp-compatibility.md#empty-namespace}). */
    @OnEachDatabase
    void nameLookupIsPerNamespace(PipelineStore s) {
        Pipeline shared = pipeline(s, "p", "", Map.of());
        Pipeline mine = pipeline(s, "p", "ns1", Map.of());
        assertThat(s.getPipelineByNameAndNamespace("p", "")).isEqualTo(shared);
        assertThat(s.getPipelineByNameAndNamespace("p", "ns1")).isEqualTo(mine);
        assertThatThrownBy(() -> s.getPipelineByNameAndNamespace("p", "ns2")).isInstanceOf(NotFoundException.class);
    }

    @OnEachDatabase
    void getByNameV1PairsTheLatestReadyVersion(PipelineStore s) {
        Pipeline p = pipeline(s, "p");
        assertThat(s.getPipelineByNameAndNamespaceV1("p", "").latestVersion()).isEmpty();
        version(s, p.uuid(), "v1");
        PipelineVersion v2 = version(s, p.uuid(), "v2");
        PipelineVersion creating = s.createPipelineVersion(PipelineVersion.newVersion(p.uuid(), "v3", "", "", "s", "", "", Map.of())
                .withStatus(PipelineStatus.CREATING));
        assertThat(creating.status()).isEqualTo(PipelineStatus.CREATING);
        assertThat(s.getPipelineByNameAndNamespaceV1("P", "").version()).isEqualTo(v2);
    }

    @OnEachDatabase
    void deletePipelineCascadesToVersionsAndTags(PipelineStore s, TestDatabase db) {
        Pipeline p = pipeline(s, "p", "", Map.of("a", "1"));
        Pipeline other = pipeline(s, "other");
        PipelineVersion v = version(s, p.uuid(), "v", Map.of("b", "2"));
        version(s, other.uuid(), "v");
        s.deletePipeline(p.uuid());
        assertThatThrownBy(() -> s.getPipeline(p.uuid())).isInstanceOf(NotFoundException.class);
        assertThatThrownBy(() -> s.getPipelineVersion(v.uuid())).isInstanceOf(NotFoundException.class);
        assertThat(db.count("pipeline_tags")).isZero();
        assertThat(db.count("pipeline_version_tags")).isZero();
        assertThat(s.getPipeline(other.uuid())).isEqualTo(other);
        assertThat(db.count("pipeline_versions")).isEqualTo(1);
    }

    @OnEachDatabase
    void statusAndDefaultVersionUpdates(PipelineStore s, TestDatabase db) {
        Pipeline p = pipeline(s, "p");
        PipelineVersion v = version(s, p.uuid(), "v");
        assertThat(db.queryValue("SELECT \"DefaultVersionId\" FROM pipelines")).isEqualTo(""); // creating a version leaves it
        s.updatePipelineDefaultVersion(p.uuid(), v.uuid());
        assertThat(db.queryValue("SELECT \"DefaultVersionId\" FROM pipelines")).isEqualTo(v.uuid());
        s.updatePipelineStatus(p.uuid(), PipelineStatus.DELETING);
        assertThat(s.getPipelineWithStatus(p.uuid(), PipelineStatus.DELETING).status()).isEqualTo(PipelineStatus.DELETING);
        s.updatePipelineVersionStatus(v.uuid(), PipelineStatus.DELETING);
        assertThatThrownBy(() -> s.getPipelineVersion(v.uuid())).isInstanceOf(NotFoundException.class);
        s.deletePipelineVersion(v.uuid());
        assertThat(db.count("pipeline_versions")).isZero();
    }

    @OnEachDatabase
    void versionsCreateGetAndDuplicates(PipelineStore s) {
        Pipeline p = pipeline(s, "p");
        Pipeline q = pipeline(s, "q");
        PipelineVersion v = version(s, p.uuid(), "pipeline_version_1", Map.of("k", "v"));
        assertThat(v.createdAtInSec()).isEqualTo(3);
        assertThat(s.getPipelineVersion(v.uuid())).isEqualTo(v);
        assertThatThrownBy(() -> version(s, p.uuid(), "Pipeline_Version_1")).isInstanceOf(AlreadyExistsException.class)
                .hasMessageContaining("The name Pipeline_Version_1 already exist");
        PipelineVersion same = version(s, q.uuid(), "pipeline_version_1");
        assertThat(s.getPipelineVersionByName(p.uuid(), "PIPELINE_VERSION_1")).isEqualTo(v);
        assertThat(s.getPipelineVersionByName(q.uuid(), "pipeline_version_1")).isEqualTo(same);
        assertThatThrownBy(() -> s.getPipelineVersionByName(p.uuid(), "other")).isInstanceOf(NotFoundException.class);
    }

    /** HEAD's tie-break: versions created in the same second resolve to the greatest id. */
    @OnEachDatabase
    void latestVersionBreaksTiesByGreatestId(PipelineStore s, TestDatabase db) {
        Pipeline p = pipeline(s, "p");
        db.ids().queue("b-version", "c-version", "a-version");
        db.clock().setNext(100);
        version(s, p.uuid(), "b");
        db.clock().setNext(100);
        PipelineVersion c = version(s, p.uuid(), "c");
        db.clock().setNext(100);
        version(s, p.uuid(), "a");
        assertThat(s.getLatestPipelineVersion(p.uuid())).isEqualTo(c);
        assertThat(s.getPipelineByNameAndNamespaceV1("p", "").version()).isEqualTo(c);
        db.clock().setNext(50);
        version(s, p.uuid(), "older");
        assertThat(s.getLatestPipelineVersion(p.uuid())).isEqualTo(c);
    }

    @OnEachDatabase
    void listsShowReadyRowsOnly(PipelineStore s) {
        Pipeline p1 = pipeline(s, "p1");
        Pipeline p2 = pipeline(s, "p2");
        s.createPipelineAndPipelineVersion(Pipeline.newPipeline("creating", "", "", "", Map.of()),
                PipelineVersion.newVersion("", "v", "", "", "s", "", "", Map.of()));
        version(s, p1.uuid(), "v1");
        version(s, p1.uuid(), "v2");
        s.createPipelineVersion(PipelineVersion.newVersion(p1.uuid(), "v3", "", "", "s", "", "", Map.of())
                .withStatus(PipelineStatus.CREATING));
        ListResult<Pipeline> all = s.listPipelines(ALL, ListOptions.firstPage(10));
        assertThat(names(all)).containsExactly("p1", "p2");
        assertThat(all.totalSize()).isEqualTo(2);
        ListResult<PipelineVersion> versions = s.listPipelineVersions(p1.uuid(), ListOptions.firstPage(10));
        assertThat(versionNames(versions)).containsExactly("v1", "v2");
        assertThat(versions.totalSize()).isEqualTo(2);
        assertThat(s.listPipelineVersions(p2.uuid(), ListOptions.firstPage(10)).totalSize()).isZero();
    }

    /** '_' in IS_SUBSTRING is a literal underscore, not a wildcard ({@code docs/kfp-compatibility.md#substring-escape}). */
    @OnEachDatabase
    void substringFilterEscapesWildcards(PipelineStore s) {
        pipeline(s, "pipeline_foo");
        pipeline(s, "pipelineXfoo");
        pipeline(s, "100% sure");
        String f = filter("name", "IS_SUBSTRING", "\"string_value\":\"PIPELINE_F\"");
        assertThat(s.listPipelinesV1(ALL, ListOptions.firstPage(10).withFilter(f)).items())
                .extracting(pv -> pv.pipeline().name()).containsExactly("pipeline_foo");
        assertThat(names(s.listPipelines(ALL, ListOptions.firstPage(10)
                .withFilter(filter("name", "IS_SUBSTRING", "\"string_value\":\"0%\""))))).containsExactly("100% sure");
    }

    @OnEachDatabase
    void paginationByNameBothWays(PipelineStore s) {
        for (String n : List.of("pipeline2", "Pipeline1", "pipeline3")) {
            pipeline(s, n);
        }
        ListResult<Pipeline> p1 = s.listPipelines(ALL, ListOptions.firstPage(2).withSortBy("name"));
        assertThat(names(p1)).containsExactly("Pipeline1", "pipeline2");
        assertThat(p1.totalSize()).isEqualTo(3);
        ListResult<Pipeline> p2 = s.listPipelines(ALL, ListOptions.firstPage(2).withPageToken(p1.nextPageToken()));
        assertThat(names(p2)).containsExactly("pipeline3");
        assertThat(p2.nextPageToken()).isEmpty();
        ListResult<Pipeline> d1 = s.listPipelines(ALL, ListOptions.firstPage(2).withSortBy("name desc"));
        assertThat(names(d1)).containsExactly("pipeline3", "pipeline2");
        ListResult<Pipeline> d2 = s.listPipelines(ALL, ListOptions.firstPage(2).withPageToken(d1.nextPageToken()));
        assertThat(names(d2)).containsExactly("Pipeline1");
        assertThat(s.listPipelines(ALL, ListOptions.firstPage(5).withSortBy("name")).nextPageToken()).isEmpty();
    }

    /** KFP's TestListPipelinesV1_Pagination_NameAsc. */
    @OnEachDatabase
    void v1ListPairsEachPipelineWithItsLatestVersion(PipelineStore s) {
        Pipeline a = pipeline(s, "a");
        Pipeline b = pipeline(s, "b");
        pipeline(s, "c");
        version(s, a.uuid(), "a1");
        PipelineVersion a2 = version(s, a.uuid(), "a2");
        PipelineVersion b1 = version(s, b.uuid(), "b1", Map.of("t", "1"));
        ListResult<PipelineAndVersion> p1 = s.listPipelinesV1(ALL, ListOptions.firstPage(2).withSortBy("name"));
        assertThat(p1.items()).extracting(pv -> pv.pipeline().name()).containsExactly("a", "b");
        assertThat(p1.items()).extracting(PipelineAndVersion::version).containsExactly(a2, b1);
        assertThat(p1.totalSize()).isEqualTo(3);
        ListResult<PipelineAndVersion> p2 = s.listPipelinesV1(ALL, ListOptions.firstPage(2).withPageToken(p1.nextPageToken()));
        assertThat(p2.items()).extracting(pv -> pv.pipeline().name()).containsExactly("c");
        assertThat(p2.items().get(0).latestVersion()).isEmpty();
        assertThat(p2.nextPageToken()).isEmpty();
    }

    @OnEachDatabase
    void namespaceContextScopesPipelines(PipelineStore s) {
        pipeline(s, "a", "ns1", Map.of());
        pipeline(s, "b", "ns2", Map.of());
        pipeline(s, "c", "", Map.of());
        ListResult<Pipeline> r = s.listPipelines(FilterContext.of(ResourceType.NAMESPACE, "ns1"), ListOptions.firstPage(5));
        assertThat(names(r)).containsExactly("a");
        assertThat(r.totalSize()).isEqualTo(1);
        assertThat(names(s.listPipelines(FilterContext.of(ResourceType.NAMESPACE, ""), ListOptions.firstPage(5)))).containsExactly("c");
    }

    @OnEachDatabase
    void versionListPaginationAndFilter(PipelineStore s) {
        Pipeline p = pipeline(s, "p");
        for (String n : List.of("v_b", "v_a", "V_C", "w")) {
            version(s, p.uuid(), n);
        }
        ListResult<PipelineVersion> p1 = s.listPipelineVersions(p.uuid(), ListOptions.firstPage(2).withSortBy("name desc"));
        assertThat(versionNames(p1)).containsExactly("w", "V_C");
        ListResult<PipelineVersion> p2 = s.listPipelineVersions(p.uuid(), ListOptions.firstPage(2).withPageToken(p1.nextPageToken()));
        assertThat(versionNames(p2)).containsExactly("v_b", "v_a");
        assertThat(p2.nextPageToken()).isEmpty();
        ListResult<PipelineVersion> f = s.listPipelineVersions(p.uuid(), ListOptions.firstPage(10)
                .withFilter(filter("name", "EQUALS", "\"string_value\":\"v_c\"")));
        assertThat(versionNames(f)).containsExactly("V_C");
        assertThat(f.totalSize()).isEqualTo(1);
    }

    /** KFP's TestListPipelines_WithTagFilter and TestListPipelineVersions_WithTagFilter. */
    @OnEachDatabase
    void tagFilters(PipelineStore s) {
        Pipeline prod = pipeline(s, "prod", "", Map.of("env", "prod", "team", "a"));
        pipeline(s, "dev", "", Map.of("env", "dev"));
        String envProd = filter("tags.env", "EQUALS", "\"string_value\":\"prod\"");
        ListResult<Pipeline> r = s.listPipelines(ALL, ListOptions.firstPage(10).withFilter(envProd));
        assertThat(names(r)).containsExactly("prod");
        assertThat(r.totalSize()).isEqualTo(1);
        assertThat(r.items().get(0).tags()).containsExactlyInAnyOrderEntriesOf(Map.of("env", "prod", "team", "a"));
        assertThat(s.listPipelines(ALL, ListOptions.firstPage(10)
                .withFilter(filter("tags.unknown", "EQUALS", "\"string_value\":\"x\""))).totalSize()).isZero();
        assertThatThrownBy(() -> s.listPipelines(ALL, ListOptions.firstPage(10)
                .withFilter(filter("tags.env", "NOT_EQUALS", "\"string_value\":\"x\""))))
                .isInstanceOf(InvalidArgumentException.class);
        assertThatThrownBy(() -> s.listPipelinesV1(ALL, ListOptions.firstPage(10).withFilter(envProd)))
                .isInstanceOf(InvalidArgumentException.class);

        version(s, prod.uuid(), "v1", Map.of("env", "prod"));
        version(s, prod.uuid(), "v2", Map.of());
        ListResult<PipelineVersion> v = s.listPipelineVersions(prod.uuid(), ListOptions.firstPage(10).withFilter(envProd));
        assertThat(versionNames(v)).containsExactly("v1");
        assertThat(v.totalSize()).isEqualTo(1);
    }

    @OnEachDatabase
    void updateFieldsAndTags(PipelineStore s, TestDatabase db) {
        Pipeline p = pipeline(s, "p", "", Map.of("a", "1", "b", "2"));
        // display name only: tags untouched (null)
        assertThat(s.updatePipelineFields(p.uuid(), "New", null))
                .extracting(Pipeline::displayName, Pipeline::tags).containsExactly("New", Map.of("a", "1", "b", "2"));
        // replace: kept keys change in place, old keys go
        db.update("UPDATE pipeline_tags SET \"TagValue\" = \"TagValue\" WHERE \"TagKey\" = 'a'");
        Pipeline replaced = s.updatePipelineFields(p.uuid(), "", Map.of("a", "9", "c", "3"));
        assertThat(replaced.displayName()).isEqualTo("New");
        assertThat(replaced.tags()).isEqualTo(Map.of("a", "9", "c", "3"));
        assertThat(s.getPipelineTags(p.uuid())).isEqualTo(Map.of("a", "9", "c", "3"));
        // an empty map clears
        s.createOrUpdatePipelineTags(p.uuid(), Map.of());
        assertThat(s.getPipelineTags(p.uuid())).isEmpty();
        assertThat(s.getPipeline(p.uuid()).tags()).isEmpty();
        Pipeline q = pipeline(s, "q", "", Map.of("x", "y"));
        assertThat(s.getPipelineTagsForPipelines(List.of(p.uuid(), q.uuid()))).isEqualTo(Map.of(q.uuid(), Map.of("x", "y")));
        assertThat(s.getPipelineTagsForPipelines(List.of())).isEmpty();
        s.deletePipelineTags(q.uuid());
        assertThat(db.count("pipeline_tags")).isZero();

        PipelineVersion v = version(s, p.uuid(), "v", Map.of("k", "1"));
        PipelineVersion updated = s.updatePipelineVersionFields(v.uuid(), "Shown", Map.of("k", "2"));
        assertThat(updated.displayName()).isEqualTo("Shown");
        assertThat(s.getPipelineVersionTags(v.uuid())).isEqualTo(Map.of("k", "2"));
        assertThat(s.getPipelineVersionTagsForVersions(List.of(v.uuid()))).isEqualTo(Map.of(v.uuid(), Map.of("k", "2")));
        s.createOrUpdatePipelineVersionTags(v.uuid(), Map.of("n", "m"));
        assertThat(s.getPipelineVersion(v.uuid()).tags()).isEqualTo(Map.of("n", "m"));
        s.deletePipelineVersionTags(v.uuid());
        assertThat(s.getPipelineVersionTags(v.uuid())).isEmpty();
    }

    @OnEachDatabase
    void badTagsAndSizesAreInvalidArgument(PipelineStore s, TestDatabase db) {
        Map<String, String> many = new java.util.HashMap<>();
        for (int i = 0; i < 21; i++) {
            many.put("k" + i, "v");
        }
        for (Map<String, String> bad : List.of(many, Map.of("", "v"), Map.of("a.b", "v"), Map.of("k".repeat(64), "v"),
                Map.of("k", "v".repeat(64)))) {
            assertThatThrownBy(() -> pipeline(s, "p", "", bad)).isInstanceOf(InvalidArgumentException.class);
        }
        assertThatThrownBy(() -> pipeline(s, "")).isInstanceOf(InvalidArgumentException.class);
        assertThatThrownBy(() -> pipeline(s, "n".repeat(129))).isInstanceOf(InvalidArgumentException.class);
        assertThat(db.count("pipelines")).isZero();
        Pipeline p = pipeline(s, "p");
        assertThatThrownBy(() -> s.updatePipelineFields(p.uuid(), null, Map.of("a.b", "c")))
                .isInstanceOf(InvalidArgumentException.class);
        assertThatThrownBy(() -> version(s, p.uuid(), "v".repeat(128))).isInstanceOf(InvalidArgumentException.class);
    }
}
