package kfp.server.service;

import static kfp.server.testing.SwaggerValidator.V1;
import static kfp.server.testing.SwaggerValidator.V2;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.JsonNode;
import com.linecorp.armeria.common.HttpResponse;
import com.linecorp.armeria.common.HttpStatus;
import com.linecorp.armeria.common.MediaType;
import com.linecorp.armeria.server.Server;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.MetadataUtils;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPOutputStream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import kfp.server.proto.v2beta1.CreatePipelineAndVersionRequest;
import kfp.server.proto.v2beta1.CreatePipelineRequest;
import kfp.server.proto.v2beta1.CreatePipelineVersionRequest;
import kfp.server.proto.v2beta1.DeletePipelineRequest;
import kfp.server.proto.v2beta1.GetPipelineByNameRequest;
import kfp.server.proto.v2beta1.GetPipelineVersionRequest;
import kfp.server.proto.v2beta1.ListPipelineVersionsRequest;
import kfp.server.proto.v2beta1.ListPipelinesRequest;
import kfp.server.proto.v2beta1.Pipeline;
import kfp.server.proto.v2beta1.PipelineServiceGrpc.PipelineServiceBlockingStub;
import kfp.server.proto.v2beta1.PipelineVersion;
import kfp.server.proto.v2beta1.UpdatePipelineRequest;
import kfp.server.proto.v2beta1.Url;
import kfp.server.testing.ApiTestServer;
import kfp.store.testing.OnEachDatabase;
import kfp.store.testing.StoreTest;
import kfp.store.testing.TestDatabase;

/**
 * KFP's pipeline API, v2beta1 and v1beta1, over HTTP/JSON, gRPC and the multipart uploads, on each
 * database; pipeline files named by URL come from a local HTTP server. Every JSON body is checked
 * against KFP's swagger; every bad request leaves the tables as they were.
 */
@StoreTest
class PipelineApiTest {

    private static final String V2_PATH = "/apis/v2beta1/pipelines";
    private static final String V1_PATH = "/apis/v1beta1/pipelines";

    static final String V2_SPEC = """
            # a compiled KFP v2 pipeline (IR)
            pipelineInfo:
              name: hello-world
            root:
              dag:
                tasks: {}
            schemaVersion: 2.1.0
            sdkVersion: kfp-2.0.0
            """;
    static final String ARGO_SPEC = """
            apiVersion: argoproj.io/v1alpha1
            kind: Workflow
            metadata:
              generateName: hello-
            spec:
              entrypoint: main
              arguments:
                parameters:
                - name: message
                  value: hi
              templates:
              - name: main
                container:
                  image: alpine
            """;

    @OnEachDatabase
    void v2OverHttp(TestDatabase db) {
        try (ApiTestServer api = ApiTestServer.start(db)) {
            JsonNode created = api.post(V2_PATH, "{\"display_name\":\"Train\",\"description\":\"d\",\"namespace\":\"team-a\","
                            + "\"tags\":{\"team\":\"ml\",\"stage\":\"dev\"}}")
                    .ok(V2, "v2beta1Pipeline", "pipeline_id", "name", "display_name", "description", "created_at", "tags");
            String id = created.get("pipeline_id").asText();
            assertThat(created.get("name").asText()).as("name falls back to display_name").isEqualTo("Train");
            assertThat(created.has("namespace")).as("single-user: blanked").isFalse();
            assertThat(api.get(V2_PATH + "/" + id).ok(V2, "v2beta1Pipeline", "pipeline_id")).isEqualTo(created);
            assertThat(api.get(V2_PATH + "/names/train?namespace=team-a").ok(V2, "v2beta1Pipeline").get("pipeline_id").asText())
                    .as("by name ignoring case, in the shared namespace").isEqualTo(id);
            api.get(V2_PATH + "/names/nope").error(V2, 404, 5);

            api.post(V2_PATH, "{\"name\":\"eval\",\"tags\":{\"team\":\"ml\"}}").ok(V2, "v2beta1Pipeline");
            api.post(V2_PATH, "{\"name\":\"serve\",\"tags\":{\"team\":\"ops\"}}").ok(V2, "v2beta1Pipeline");
            String byTeam = enc("{\"predicates\":[{\"key\":\"tags.team\",\"operation\":\"EQUALS\",\"string_value\":\"ml\"}]}");
            JsonNode page1 = api.get(V2_PATH + "?page_size=1&sort_by=" + enc("name desc") + "&filter=" + byTeam)
                    .ok(V2, "v2beta1ListPipelinesResponse", "pipelines", "total_size", "next_page_token");
            assertThat(names(page1, "pipelines")).containsExactly("Train");
            assertThat(page1.get("total_size").asInt()).isEqualTo(2);
            JsonNode page2 = api.get(V2_PATH + "?page_size=1&page_token=" + enc(page1.get("next_page_token").asText()))
                    .ok(V2, "v2beta1ListPipelinesResponse", "pipelines");
            assertThat(names(page2, "pipelines")).containsExactly("eval");
            assertThat(page2.has("next_page_token")).isFalse();
            // grpc-gateway ignores a query parameter that names no field (docs/kfp-compatibility.md#unknown-query-parameters)
            assertThat(api.get(V2_PATH + "?colour=red&page_size=2").ok(V2, "v2beta1ListPipelinesResponse")
                    .get("pipelines").size()).isEqualTo(2);
            api.get(V2_PATH + "?page_size=two").error(V2, 400, 3); // a known one must fit its field
            api.get(V2_PATH + "?filter=" + enc("{\"predicates\":[{\"key\":\"tags.team\",\"operation\":\"IS_SUBSTRING\","
                    + "\"string_value\":\"m\"}]}")).error(V2, 400, 3);

            // update: display name and tags replaced; "tags":{} clears them; no tags leaves them
            JsonNode updated = api.send("PATCH", V2_PATH + "/" + id, "{\"display_name\":\"Training\",\"tags\":{\"team\":\"ai\"}}",
                    "application/json").ok(V2, "v2beta1Pipeline", "tags");
            assertThat(updated.get("display_name").asText()).isEqualTo("Training");
            assertThat(updated.get("tags").toString()).isEqualTo("{\"team\":\"ai\"}");
            assertThat(api.send("PATCH", V2_PATH + "/" + id, "{\"description\":\"ignored\"}", "application/json")
                    .ok(V2, "v2beta1Pipeline").get("tags").toString()).isEqualTo("{\"team\":\"ai\"}");
            assertThat(api.send("PATCH", V2_PATH + "/" + id, "{\"tags\":{}}", "application/json")
                    .ok(V2, "v2beta1Pipeline").has("tags")).isFalse();
            api.send("PATCH", V2_PATH + "/nope", "{\"display_name\":\"x\"}", "application/json").error(V2, 404, 5);
            // JSON types as grpc-gateway's protojson reads them: a number is not a string, a string not a map
            assertThat(api.post(V2_PATH, "{\"display_name\":7}").error(V2, 400, 3).get("message").asText()).contains("display_name");
            api.post(V2_PATH, "{\"name\":\"n\",\"tags\":\"team=ml\"}").error(V2, 400, 3);
            api.post(V2_PATH, "{\"name\":\"n\",\"tags\":{\"team\":1}}").error(V2, 400, 3);
            api.post("/apis/v2beta1/experiments", "{\"displayName\":true}").error(V2, 400, 3);
            api.post("/apis/v1beta1/experiments", "{\"name\":\"n\",\"resource_references\":{}}").error(V1, 400, 3);
            api.post("/apis/v1beta1/experiments", "{\"name\":\"n\",\"resource_references\":[{\"key\":\"x\"}]}").error(V1, 400, 3);

            // versions: uploaded to the pipeline, listed, the latest first by created_at desc
            JsonNode v1 = api.upload(V2_PATH + "/upload_version?pipelineid=" + id + "&name=v1&tags=" + enc("{\"n\":\"1\"}"),
                    "uploadfile", "pipeline.yaml", V2_SPEC.getBytes(StandardCharsets.UTF_8))
                    .ok(V2, "v2beta1PipelineVersion", "pipeline_id", "pipeline_version_id", "name", "display_name",
                            "created_at", "pipeline_spec", "tags");
            assertThat(v1.at("/pipeline_spec/pipelineInfo/name").asText()).isEqualTo("hello-world");
            String v1Id = v1.get("pipeline_version_id").asText();
            api.upload(V2_PATH + "/upload_version?pipelineid=" + id + "&name=v2", "uploadfile", "p.yaml",
                    V2_SPEC.getBytes(StandardCharsets.UTF_8)).ok(V2, "v2beta1PipelineVersion");
            assertThat(api.get(V2_PATH + "/" + id + "/versions/" + v1Id).ok(V2, "v2beta1PipelineVersion", "pipeline_spec"))
                    .isEqualTo(v1);
            JsonNode versions = api.get(V2_PATH + "/" + id + "/versions?sort_by=" + enc("name desc"))
                    .ok(V2, "v2beta1ListPipelineVersionsResponse", "pipeline_versions", "total_size");
            assertThat(names(versions, "pipeline_versions")).containsExactly("v2", "v1");
            JsonNode tagged = api.get(V2_PATH + "/" + id + "/versions?filter=" + enc("{\"predicates\":[{\"key\":\"tags.n\","
                    + "\"operation\":\"EQUALS\",\"string_value\":\"1\"}]}")).ok(V2, "v2beta1ListPipelineVersionsResponse");
            assertThat(names(tagged, "pipeline_versions")).containsExactly("v1");
            JsonNode renamed = api.send("PATCH", V2_PATH + "/" + id + "/versions/" + v1Id, "{\"display_name\":\"first\",\"tags\":{}}",
                    "application/json").ok(V2, "v2beta1PipelineVersion");
            assertThat(renamed.get("display_name").asText()).isEqualTo("first");
            assertThat(renamed.has("tags")).isFalse();

            // KFP's delete rule: a pipeline with versions needs cascade
            JsonNode refused = api.delete(V2_PATH + "/" + id).error(V2, 400, 3);
            assertThat(refused.get("message").asText()).contains("cascade");
            api.delete(V2_PATH + "/" + id + "/versions/" + v1Id).empty(V2);
            api.get(V2_PATH + "/" + id + "/versions/" + v1Id).error(V2, 404, 5);
            api.delete(V2_PATH + "/" + id + "/versions/" + v1Id).error(V2, 404, 5);
            api.delete(V2_PATH + "/" + id + "?cascade=true").empty(V2);
            api.get(V2_PATH + "/" + id).error(V2, 404, 5);
            assertThat(db.count("pipeline_versions")).isZero();
            assertThat(db.count("pipeline_tags")).isEqualTo(2); // eval's and serve's
            api.delete(V2_PATH + "/" + id).error(V2, 404, 5);
        }
    }

    @OnEachDatabase
    void uploads(TestDatabase db) throws IOException {
        try (ApiTestServer api = ApiTestServer.start(db)) {
            byte[] v2 = V2_SPEC.getBytes(StandardCharsets.UTF_8);
            // YAML, named by the file when no name is given; the version takes the pipeline's names
            JsonNode yaml = api.upload(V2_PATH + "/upload?description=d&tags=" + enc("{\"team\":\"ml\"}"),
                    "uploadfile", "hello.yaml", v2).ok(V2, "v2beta1Pipeline", "pipeline_id", "name", "tags");
            assertThat(yaml.get("name").asText()).isEqualTo("hello.yaml");
            assertThat(yaml.get("display_name").asText()).isEqualTo("hello.yaml");
            JsonNode first = api.get(V2_PATH + "/" + yaml.get("pipeline_id").asText() + "/versions")
                    .ok(V2, "v2beta1ListPipelineVersionsResponse", "/pipeline_versions/0/pipeline_spec");
            assertThat(first.at("/pipeline_versions/0/name").asText()).isEqualTo("hello.yaml");
            assertThat(first.at("/pipeline_versions/0/description").asText()).isEqualTo("d");

            // JSON, zip (pipeline.yaml inside), tar.gz (first entry a .yaml), an Argo Workflow
            String json = "{\"pipelineInfo\":{\"name\":\"from-json\"},\"root\":{\"dag\":{}},\"schemaVersion\":\"2.1.0\"}";
            api.upload(V2_PATH + "/upload?name=j", "uploadfile", "p.json", json.getBytes(StandardCharsets.UTF_8))
                    .ok(V2, "v2beta1Pipeline");
            api.upload(V2_PATH + "/upload?display_name=Zipped", "uploadfile", "p.zip", zip("README.md", "x", "pipeline.yaml", V2_SPEC))
                    .ok(V2, "v2beta1Pipeline");
            assertThat(api.get(V2_PATH + "/names/Zipped").ok(V2, "v2beta1Pipeline").get("display_name").asText()).isEqualTo("Zipped");
            api.upload(V2_PATH + "/upload?name=tarred", "uploadfile", "p.tar.gz", tarGz("spec.yaml", V2_SPEC)).ok(V2, "v2beta1Pipeline");
            JsonNode argo = api.upload("/apis/v1beta1/pipelines/upload?name=argo", "uploadfile", "wf.yaml",
                    ARGO_SPEC.getBytes(StandardCharsets.UTF_8)).ok(V1, "apiPipeline", "id", "parameters", "default_version");
            assertThat(argo.at("/parameters/0/name").asText()).isEqualTo("message");
            assertThat(argo.at("/default_version/parameters/0/value").asText()).isEqualTo("hi");
            JsonNode v1Version = api.upload("/apis/v1beta1/pipelines/upload_version?name=again&pipelineid=" + argo.get("id").asText(),
                    "uploadfile", "wf.yaml", ARGO_SPEC.getBytes(StandardCharsets.UTF_8))
                    .ok(V1, "apiPipelineVersion", "id", "resource_references");
            assertThat(v1Version.at("/resource_references/0/key/type").asText()).isEqualTo("PIPELINE");

            long pipelines = db.count("pipelines");
            long versions = db.count("pipeline_versions");
            // bad files name their problem; nothing is written
            assertThat(api.upload(V2_PATH + "/upload", "uploadfile", "p.yaml", "a: [".getBytes(StandardCharsets.UTF_8))
                    .error(V2, 400, 3).get("message").asText()).contains("not valid YAML");
            assertThat(api.upload(V2_PATH + "/upload", "uploadfile", "p.yaml", "kind: ConfigMap\napiVersion: v1\n".getBytes(StandardCharsets.UTF_8))
                    .error(V2, 400, 3).get("message").asText()).contains("neither");
            assertThat(api.upload(V2_PATH + "/upload", "uploadfile", "p.yaml",
                    V2_SPEC.replace("hello-world", "Hello World").getBytes(StandardCharsets.UTF_8))
                    .error(V2, 400, 3).get("message").asText()).contains("pipelineInfo.name");
            assertThat(api.upload(V2_PATH + "/upload", "uploadfile", "p.txt", v2).error(V2, 400, 3).get("message").asText())
                    .contains("format");
            assertThat(api.upload(V2_PATH + "/upload", "uploadfile", "p.zip", zip("notes.txt", "x")).error(V2, 400, 3)
                    .get("message").asText()).contains("notes.txt");
            api.upload(V2_PATH + "/upload", "other", "p.yaml", v2).error(V2, 400, 3);
            api.upload(V2_PATH + "/upload?tags=" + enc("{\"n\":1}"), "uploadfile", "p2.yaml", v2).error(V2, 400, 3);
            api.upload(V2_PATH + "/upload?tags=" + enc("{\"a.b\":\"x\"}"), "uploadfile", "p2.yaml", v2).error(V2, 400, 3);
            api.upload(V2_PATH + "/upload?name=" + "n".repeat(129), "uploadfile", "p.yaml", v2).error(V2, 400, 3);
            api.post(V2_PATH + "/upload", "{}").error(V2, 400, 3);
            api.upload(V2_PATH + "/upload_version", "uploadfile", "p.yaml", v2).error(V2, 400, 3);
            api.upload(V2_PATH + "/upload_version?pipelineid=nope&name=x", "uploadfile", "p.yaml", v2).error(V2, 404, 5);
            // duplicates: the pipeline's name (any case) and a version name within its pipeline
            api.upload(V2_PATH + "/upload", "uploadfile", "HELLO.yaml", v2).error(V2, 409, 6);
            api.upload(V2_PATH + "/upload_version?name=AGAIN&pipelineid=" + argo.get("id").asText(), "uploadfile", "wf.yaml",
                    ARGO_SPEC.getBytes(StandardCharsets.UTF_8)).error(V2, 409, 6);
            // over 32 MiB: 413, as a file and as a zip that inflates beyond it
            byte[] big = new byte[(32 << 20) + 1];
            java.util.Arrays.fill(big, (byte) 'a');
            api.upload(V2_PATH + "/upload", "uploadfile", "big.yaml", big).error(V2, 413, 8);
            api.upload(V2_PATH + "/upload", "uploadfile", "bomb.zip", zip("pipeline.yaml", new String(big, StandardCharsets.US_ASCII)))
                    .error(V2, 413, 8);
            // uploads are counted in /metrics beside the gRPC calls, by HTTP status
            assertThat(api.get("/metrics").body()).contains("kfp_api_upload_requests_total").contains("http_status=\"413\"");
            assertThat(db.count("pipelines")).as("no pipeline without a version").isEqualTo(pipelines);
            assertThat(db.count("pipeline_versions")).isEqualTo(versions);
        }
    }

    @OnEachDatabase
    void v1OverHttpFromUrls(TestDatabase db) throws InterruptedException {
        try (ApiTestServer api = ApiTestServer.start(db); FileServer files = new FileServer()) {
            JsonNode created = api.post(V1_PATH, "{\"name\":\"from-url\",\"description\":\"d\",\"url\":{\"pipeline_url\":\""
                    + files.url("/wf.yaml") + "\"}}").ok(V1, "apiPipeline", "id", "name", "created_at", "url", "default_version",
                    "parameters");
            String id = created.get("id").asText();
            assertThat(created.at("/url/pipeline_url").asText()).isEqualTo(files.url("/wf.yaml"));
            assertThat(api.get(V1_PATH + "/" + id).ok(V1, "apiPipeline", "default_version")).isEqualTo(created);
            assertThat(api.get("/apis/v1beta1/namespaces/any/pipelines/FROM-URL").ok(V1, "apiPipeline").get("id").asText()).isEqualTo(id);
            JsonNode template = api.get(V1_PATH + "/" + id + "/templates").ok(V1, "apiGetTemplateResponse", "template");
            assertThat(template.get("template").asText()).isEqualTo(ARGO_SPEC);

            Thread.sleep(1100); // the latest version is the newest by second; a later second makes it this one
            JsonNode version = api.post("/apis/v1beta1/pipeline_versions", "{\"name\":\"second\",\"package_url\":{\"pipeline_url\":\""
                    + files.url("/hello.yaml") + "\"},\"resource_references\":[{\"key\":{\"type\":\"PIPELINE\",\"id\":\"" + id
                    + "\"},\"relationship\":\"OWNER\"}]}").ok(V1, "apiPipelineVersion", "id", "package_url", "resource_references");
            String versionId = version.get("id").asText();
            assertThat(api.get("/apis/v1beta1/pipeline_versions/" + versionId).ok(V1, "apiPipelineVersion")).isEqualTo(version);
            assertThat(api.get("/apis/v1beta1/pipeline_versions/" + versionId + "/templates").ok(V1, "apiGetTemplateResponse")
                    .get("template").asText()).isEqualTo(V2_SPEC);
            JsonNode list = api.get("/apis/v1beta1/pipeline_versions?resource_key.type=PIPELINE&resource_key.id=" + id
                    + "&sort_by=name").ok(V1, "apiListPipelineVersionsResponse", "versions", "total_size");
            assertThat(names(list, "versions")).containsExactly("from-url", "second");
            api.get("/apis/v1beta1/pipeline_versions?resource_key.type=EXPERIMENT&resource_key.id=" + id).error(V1, 400, 3);
            api.post(V1_PATH + "/" + id + "/default_version/" + versionId, "").empty(V1);
            api.post(V1_PATH + "/" + id + "/default_version/nope", "").error(V1, 404, 5);

            JsonNode all = api.get(V1_PATH + "?resource_reference_key.type=NAMESPACE&resource_reference_key.id=x")
                    .ok(V1, "apiListPipelinesResponse", "pipelines", "total_size");
            assertThat(all.at("/pipelines/0/default_version/name").asText()).as("the latest ready version").isEqualTo("second");
            api.get(V1_PATH + "?resource_reference_key.type=EXPERIMENT&resource_reference_key.id=x").error(V1, 400, 3);

            // create from URL: only http(s), a 200 answer, at most 32 MiB, a pipeline file
            long rows = db.count("pipelines");
            api.post(V1_PATH, "{\"name\":\"f\",\"url\":{\"pipeline_url\":\"file:///etc/passwd\"}}").error(V1, 400, 3);
            api.post(V1_PATH, "{\"name\":\"f\",\"url\":{\"pipeline_url\":\"ftp://example.com/p.yaml\"}}").error(V1, 400, 3);
            api.post(V1_PATH, "{\"name\":\"f\",\"url\":{\"pipeline_url\":\"" + files.url("/missing.yaml") + "\"}}").error(V1, 400, 3);
            assertThat(api.post(V1_PATH, "{\"name\":\"f\",\"url\":{\"pipeline_url\":\"" + files.url("/big.yaml") + "\"}}")
                    .error(V1, 400, 3).get("message").asText()).contains("32 MiB");
            api.post(V1_PATH, "{\"name\":\"f\",\"url\":{\"pipeline_url\":\"" + files.url("/notes.txt") + "\"}}").error(V1, 400, 3);
            api.post(V1_PATH, "{\"name\":\"f\"}").error(V1, 400, 3);
            api.post(V1_PATH, "{\"name\":\"FROM-URL\",\"url\":{\"pipeline_url\":\"" + files.url("/wf.yaml") + "\"}}").error(V1, 409, 6);
            assertThat(db.count("pipelines")).isEqualTo(rows);

            api.delete(V1_PATH + "/" + id).error(V1, 400, 3); // it has versions (v1 has no cascade)
            api.delete("/apis/v1beta1/pipeline_versions/" + versionId).empty(V1);
            api.delete("/apis/v1beta1/pipeline_versions/" + created.at("/default_version/id").asText()).empty(V1);
            api.get(V1_PATH + "/" + id + "/templates").error(V1, 404, 5);
            api.delete(V1_PATH + "/" + id).empty(V1);
            api.get(V1_PATH + "/" + id).error(V1, 404, 5);
        }
    }

    @OnEachDatabase
    void v2OverGrpc(TestDatabase db) {
        try (ApiTestServer api = ApiTestServer.start(db); FileServer files = new FileServer()) {
            PipelineServiceBlockingStub grpc = api.grpc(PipelineServiceBlockingStub.class);
            Pipeline created = grpc.createPipelineAndVersion(CreatePipelineAndVersionRequest.newBuilder()
                    .setPipeline(Pipeline.newBuilder().setDisplayName("From URL").putTags("k", "v"))
                    .setPipelineVersion(PipelineVersion.newBuilder().setPackageUrl(Url.newBuilder().setPipelineUrl(files.url("/hello.yaml")))
                            .putTags("built", "today"))
                    .build());
            assertThat(created.getName()).isEqualTo("From URL");
            assertThat(created.getTagsMap()).containsEntry("k", "v");
            var versions = grpc.listPipelineVersions(ListPipelineVersionsRequest.newBuilder().setPipelineId(created.getPipelineId()).build());
            assertThat(versions.getPipelineVersionsList()).singleElement().satisfies(v -> {
                assertThat(v.getName()).isEqualTo("From URL");
                assertThat(v.getTagsMap()).containsEntry("built", "today");
                assertThat(v.getPackageUrl().getPipelineUrl()).isEqualTo(files.url("/hello.yaml"));
                assertThat(v.getPipelineSpec().getFieldsMap()).containsKey("pipelineInfo");
            });

            PipelineVersion second = grpc.createPipelineVersion(CreatePipelineVersionRequest.newBuilder()
                    .setPipelineId(created.getPipelineId())
                    .setPipelineVersion(PipelineVersion.newBuilder().setPipelineId(created.getPipelineId()).setDisplayName("second")
                            .setPackageUrl(Url.newBuilder().setPipelineUrl(files.url("/hello.yaml"))))
                    .build());
            assertThat(second.getName()).isEqualTo("second");
            assertThat(grpc.getPipelineVersion(GetPipelineVersionRequest.newBuilder().setPipelineId("ignored")
                    .setPipelineVersionId(second.getPipelineVersionId()).build())).isEqualTo(second);
            assertThat(code(() -> grpc.createPipelineVersion(CreatePipelineVersionRequest.newBuilder()
                    .setPipelineId(created.getPipelineId()).setPipelineVersion(PipelineVersion.newBuilder().setName("x")
                            .setPackageUrl(Url.newBuilder().setPipelineUrl(files.url("/hello.yaml")))).build())))
                    .as("the body's pipeline_id is required too (KFP)").isEqualTo(Status.Code.INVALID_ARGUMENT);
            assertThat(code(() -> grpc.createPipelineVersion(CreatePipelineVersionRequest.newBuilder()
                    .setPipelineId(created.getPipelineId()).setPipelineVersion(PipelineVersion.newBuilder().setName("x")
                            .setPipelineId(created.getPipelineId())).build()))).isEqualTo(Status.Code.INVALID_ARGUMENT);

            // x-clear-tags metadata clears the tags of a gRPC update
            Metadata clear = new Metadata();
            clear.put(Metadata.Key.of("x-clear-tags", Metadata.ASCII_STRING_MARSHALLER), "true");
            Pipeline cleared = grpc.withInterceptors(MetadataUtils.newAttachHeadersInterceptor(clear)).updatePipeline(
                    UpdatePipelineRequest.newBuilder().setPipeline(Pipeline.newBuilder().setPipelineId(created.getPipelineId())).build());
            assertThat(cleared.getTagsMap()).isEmpty();

            grpc.createPipeline(CreatePipelineRequest.newBuilder().setPipeline(Pipeline.newBuilder().setName("bare")).build());
            assertThat(grpc.getPipelineByName(GetPipelineByNameRequest.newBuilder().setName("BARE").build()).getName()).isEqualTo("bare");
            List<String> names = new ArrayList<>();
            String token = "";
            do {
                var page = grpc.listPipelines(ListPipelinesRequest.newBuilder().setPageSize(1).setSortBy("name").setPageToken(token).build());
                assertThat(page.getTotalSize()).isEqualTo(2);
                page.getPipelinesList().forEach(p -> names.add(p.getName()));
                token = page.getNextPageToken();
            } while (!token.isEmpty());
            assertThat(names).containsExactly("bare", "From URL");

            assertThat(code(() -> grpc.createPipeline(CreatePipelineRequest.getDefaultInstance()))).isEqualTo(Status.Code.INVALID_ARGUMENT);
            assertThat(code(() -> grpc.createPipeline(CreatePipelineRequest.newBuilder().setPipeline(Pipeline.newBuilder()
                    .setName("BARE")).build()))).isEqualTo(Status.Code.ALREADY_EXISTS);
            assertThat(code(() -> grpc.createPipeline(CreatePipelineRequest.newBuilder().setPipeline(Pipeline.newBuilder()
                    .setName("t").putTags("", "x")).build()))).isEqualTo(Status.Code.INVALID_ARGUMENT);
            assertThat(code(() -> grpc.deletePipeline(DeletePipelineRequest.newBuilder().setPipelineId(created.getPipelineId()).build())))
                    .isEqualTo(Status.Code.INVALID_ARGUMENT);
            grpc.deletePipeline(DeletePipelineRequest.newBuilder().setPipelineId(created.getPipelineId()).setCascade(true).build());
            assertThat(code(() -> grpc.getPipelineVersion(GetPipelineVersionRequest.newBuilder()
                    .setPipelineVersionId(second.getPipelineVersionId()).build()))).isEqualTo(Status.Code.NOT_FOUND);
            assertThat(db.count("pipelines")).isEqualTo(1);
            assertThat(db.count("pipeline_versions")).isZero();
        }
    }

    /** A local HTTP server of pipeline files: good ones, a missing one, one over 32 MiB, one of another kind. */
    static final class FileServer implements AutoCloseable {

        private final Server server;

        FileServer() {
            byte[] big = new byte[(32 << 20) + 1];
            java.util.Arrays.fill(big, (byte) '#');
            server = Server.builder().http(0)
                    .service("/hello.yaml", (ctx, req) -> HttpResponse.of(HttpStatus.OK, MediaType.PLAIN_TEXT_UTF_8, V2_SPEC))
                    .service("/wf.yaml", (ctx, req) -> HttpResponse.of(HttpStatus.OK, MediaType.PLAIN_TEXT_UTF_8, ARGO_SPEC))
                    .service("/notes.txt", (ctx, req) -> HttpResponse.of(HttpStatus.OK, MediaType.PLAIN_TEXT_UTF_8, "notes"))
                    .service("/big.yaml", (ctx, req) -> HttpResponse.of(HttpStatus.OK, MediaType.OCTET_STREAM,
                            com.linecorp.armeria.common.HttpData.wrap(big)))
                    .build();
            server.start().join();
        }

        String url(String path) {
            return "http://127.0.0.1:" + server.activeLocalPort() + path;
        }

        @Override
        public void close() {
            server.stop().join();
        }
    }

    static byte[] zip(String... namesAndTexts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(out)) {
            for (int i = 0; i < namesAndTexts.length; i += 2) {
                zip.putNextEntry(new ZipEntry(namesAndTexts[i]));
                zip.write(namesAndTexts[i + 1].getBytes(StandardCharsets.UTF_8));
                zip.closeEntry();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    /** A ustar archive of one file, gzip'd (what {@code tar czf} makes). */
    static byte[] tarGz(String name, String text) throws IOException {
        byte[] data = text.getBytes(StandardCharsets.UTF_8);
        byte[] header = new byte[512];
        System.arraycopy(name.getBytes(StandardCharsets.US_ASCII), 0, header, 0, name.length());
        put(header, 100, String.format("%07o", 0644));
        put(header, 108, String.format("%07o", 0));
        put(header, 116, String.format("%07o", 0));
        put(header, 124, String.format("%011o", data.length));
        put(header, 136, String.format("%011o", 0));
        header[156] = '0';
        put(header, 257, "ustar");
        put(header, 263, "00");
        java.util.Arrays.fill(header, 148, 156, (byte) ' ');
        int sum = 0;
        for (byte b : header) {
            sum += b & 0xff;
        }
        put(header, 148, String.format("%06o", sum));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            gz.write(header);
            gz.write(data);
            gz.write(new byte[(512 - data.length % 512) % 512]);
            gz.write(new byte[1024]);
        }
        return out.toByteArray();
    }

    private static void put(byte[] header, int offset, String value) {
        byte[] b = value.getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(b, 0, header, offset, b.length);
    }

    private static Status.Code code(Runnable call) {
        return catchThrowableOfType(StatusRuntimeException.class, call::run).getStatus().getCode();
    }

    private static List<String> names(JsonNode list, String field) {
        List<String> names = new ArrayList<>();
        list.path(field).forEach(e -> names.add(e.get("name").asText()));
        return names;
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
