package kfp.cache;

import static kfp.cache.CacheServerFixture.TEMPLATE;
import static kfp.cache.CacheServerFixture.kfpPod;
import static kfp.cache.CacheServerFixture.review;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.linecorp.armeria.common.AggregatedHttpResponse;
import com.linecorp.armeria.common.HttpMethod;
import com.linecorp.armeria.common.HttpRequest;
import com.linecorp.armeria.common.MediaType;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import kfp.store.api.ExecutionCache;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@code /mutate} over HTTPS: KFP's skip rules and patches, v1beta1 and v1, and bad requests ({@code docs/kfp-compatibility.md#cache-webhook}). */
class AdmissionServiceTest {

    private static CacheServerFixture fixture;
    private static final String KEY = CacheKey.fromTemplate(TEMPLATE).orElseThrow();
    private static final String OUTPUT = "{\"pipelines.kubeflow.org/metadata_execution_id\":\"42\","
            + "\"workflows.argoproj.io/outputs\":\"{\\\"parameters\\\":[{\\\"name\\\":\\\"acc\\\",\\\"value\\\":\\\"0.9\\\"}]}\"}";

    @BeforeAll
    static void start() {
        fixture = new CacheServerFixture(Map.of("MAXIMUM_CACHE_STALENESS", "P30D"), CacheServerFixture.nowhere());
    }

    @AfterAll
    static void stop() {
        fixture.close();
    }

    @BeforeEach
    void emptyCache() {
        fixture.store.getExecutionCache(KEY, -1, -1).ifPresent(e -> fixture.store.deleteExecutionCache(e.id()));
    }

    @Test
    void aMissAnnotatesTheKeyAndAnEmptyCacheId() throws Exception {
        JsonNode answer = post(review("admission.k8s.io/v1beta1", "kubeflow", kfpPod(TEMPLATE)));
        assertThat(answer.path("apiVersion").asText()).isEqualTo("admission.k8s.io/v1beta1");
        assertThat(answer.path("kind").asText()).isEqualTo("AdmissionReview");
        JsonNode response = answer.path("response");
        assertThat(response.path("uid").asText()).isEqualTo("uid-1");
        assertThat(response.path("allowed").asBoolean()).isTrue();
        assertThat(response.path("patchType").asText()).isEqualTo("JSONPatch");
        assertThat(patch(response)).isEqualTo(PodMutator.JSON.readTree("["
                + "{\"op\":\"add\",\"path\":\"/metadata/annotations\",\"value\":{"
                + "\"pipelines.kubeflow.org/execution_cache_key\":\"" + KEY + "\","
                + "\"workflows.argoproj.io/node-name\":\"wf.train\"}},"
                + "{\"op\":\"add\",\"path\":\"/metadata/labels\",\"value\":{"
                + "\"pipelines.kubeflow.org/cache_enabled\":\"true\",\"pipelines.kubeflow.org/cache_id\":\"\","
                + "\"workflows.argoproj.io/workflow\":\"wf\"}}]"));
    }

    @Test
    void aHitReplacesTheContainersAndCarriesTheOutputsV1() throws Exception {
        ExecutionCache entry = fixture.store.createExecutionCache(KEY, TEMPLATE, OUTPUT, -1);
        ObjectNode pod = kfpPod(TEMPLATE);
        ObjectNode spec = (ObjectNode) pod.get("spec");
        spec.putObject("affinity").putObject("nodeAffinity");
        spec.putObject("nodeSelector").put("pool", "gpu");
        spec.putArray("initContainers").addObject().put("name", "init");
        JsonNode answer = post(review("admission.k8s.io/v1", "kubeflow", pod));
        assertThat(answer.path("apiVersion").asText()).isEqualTo("admission.k8s.io/v1");
        JsonNode response = answer.path("response");
        assertThat(response.path("allowed").asBoolean()).isTrue();
        assertThat(response.path("patchType").asText()).isEqualTo("JSONPatch");
        assertThat(patch(response)).isEqualTo(PodMutator.JSON.readTree("["
                + "{\"op\":\"replace\",\"path\":\"/spec/containers\",\"value\":[{\"name\":\"main\","
                + "\"image\":\"ghcr.io/containerd/busybox\",\"command\":[\"echo\",\"\\\"This step output is taken from cache.\\\"\"],"
                + "\"resources\":{\"requests\":{\"cpu\":\"10m\",\"memory\":\"16Mi\"}}}]},"
                + "{\"op\":\"remove\",\"path\":\"/spec/affinity\"},"
                + "{\"op\":\"remove\",\"path\":\"/spec/nodeSelector\"},"
                + "{\"op\":\"remove\",\"path\":\"/spec/initContainers\"},"
                + "{\"op\":\"add\",\"path\":\"/metadata/annotations\",\"value\":{"
                + "\"pipelines.kubeflow.org/execution_cache_key\":\"" + KEY + "\","
                + "\"workflows.argoproj.io/node-name\":\"wf.train\","
                + "\"workflows.argoproj.io/outputs\":\"{\\\"parameters\\\":[{\\\"name\\\":\\\"acc\\\",\\\"value\\\":\\\"0.9\\\"}]}\"}},"
                + "{\"op\":\"add\",\"path\":\"/metadata/labels\",\"value\":{"
                + "\"pipelines.kubeflow.org/cache_enabled\":\"true\",\"pipelines.kubeflow.org/cache_id\":\"" + entry.id() + "\","
                + "\"pipelines.kubeflow.org/metadata_execution_id\":\"42\",\"pipelines.kubeflow.org/metadata_written\":\"true\","
                + "\"pipelines.kubeflow.org/reused_from_cache\":\"true\",\"workflows.argoproj.io/workflow\":\"wf\"}}]"));
    }

    @Test
    void thePodsStalenessAnnotationCanRefuseAnEntry() throws Exception {
        fixture.store.createExecutionCache(KEY, TEMPLATE, OUTPUT, -1);
        ObjectNode pod = kfpPod(TEMPLATE);
        ((ObjectNode) pod.get("metadata").get("annotations")).put(PodLabels.MAX_CACHE_STALENESS, "P0D");
        JsonNode patch = patch(post(review(null, "kubeflow", pod)).path("response"));
        assertThat(patch).hasSize(2); // a miss: staleness 0 disables the cache
        assertThat(patch.get(1).path("value").path(PodLabels.CACHE_ID).asText()).isEmpty();
    }

    @Test
    void podsWithoutAnnotationsAreKeyedNotCrashedOn() throws Exception {
        ObjectNode pod = kfpPod(TEMPLATE);
        ((ObjectNode) pod.get("metadata")).remove("annotations");
        JsonNode patch = patch(post(review(null, "kubeflow", pod)).path("response"));
        assertThat(patch.get(0).path("value").path(PodLabels.EXECUTION_CACHE_KEY).asText()).isEqualTo(KEY);
    }

    @Test
    void podsKfpLeavesAloneGetNoPatch() throws Exception {
        ObjectNode notEnabled = kfpPod(TEMPLATE);
        ((ObjectNode) notEnabled.get("metadata").get("labels")).put(PodLabels.CACHE_ENABLED, "false");
        ObjectNode tfxLabel = kfpPod(TEMPLATE);
        ((ObjectNode) tfxLabel.get("metadata").get("labels")).put(PodLabels.SDK_TYPE, "tfx-template");
        ObjectNode tfxCommand = kfpPod(TEMPLATE);
        ((ObjectNode) tfxCommand.get("spec").get("containers").get(0)).putArray("command")
                .add("python").add("/tfx-src/tfx/orchestration/kubeflow/container_entrypoint.py");
        ObjectNode v2 = kfpPod(TEMPLATE);
        ((ObjectNode) v2.get("metadata").get("annotations")).put(PodLabels.V2_COMPONENT, "true");
        ObjectNode noTemplate = kfpPod(TEMPLATE);
        ((ObjectNode) noTemplate.get("spec").get("containers").get(0)).putArray("env");
        ObjectNode badTemplate = kfpPod("{\"container\":\"not an object\"}");
        for (ObjectNode pod : new ObjectNode[] {notEnabled, tfxLabel, tfxCommand, v2, noTemplate, badTemplate}) {
            assertNoPatch(post(review("admission.k8s.io/v1beta1", "kubeflow", pod)));
        }
        assertNoPatch(post(review("admission.k8s.io/v1beta1", "kube-system", kfpPod(TEMPLATE))));
        ObjectNode configMap = review("admission.k8s.io/v1beta1", "kubeflow", kfpPod(TEMPLATE));
        ((ObjectNode) configMap.get("request").get("resource")).put("resource", "configmaps");
        assertNoPatch(post(configMap));
    }

    @Test
    void aReviewWithoutAPodIsRefusedWithAMessage() throws Exception {
        ObjectNode review = review("admission.k8s.io/v1beta1", "kubeflow", kfpPod(TEMPLATE));
        ((ObjectNode) review.get("request")).remove("object");
        JsonNode response = post(review).path("response");
        assertThat(response.path("allowed").asBoolean()).isFalse();
        assertThat(response.path("status").path("message").asText()).startsWith("could not deserialize pod object");
    }

    @Test
    void badRequestsGetA4xxWithAMessage() {
        assertThat(send(HttpMethod.GET, MediaType.JSON, "")).satisfies(r -> {
            assertThat(r.status().code()).isEqualTo(405);
            assertThat(r.contentUtf8()).startsWith("Invalid method \"GET\", only POST requests are allowed");
        });
        assertThat(send(HttpMethod.POST, MediaType.PLAIN_TEXT_UTF_8, "{}")).satisfies(r -> {
            assertThat(r.status().code()).isEqualTo(400);
            assertThat(r.contentUtf8()).startsWith("Unsupported content type");
        });
        assertThat(send(HttpMethod.POST, null, "{}").status().code()).isEqualTo(400);
        assertThat(send(HttpMethod.POST, MediaType.JSON, "{\"request\": ")).satisfies(r -> {
            assertThat(r.status().code()).isEqualTo(400);
            assertThat(r.contentUtf8()).startsWith("Could not deserialize request");
        });
        assertThat(send(HttpMethod.POST, MediaType.JSON, "[1]").status().code()).isEqualTo(400);
        assertThat(send(HttpMethod.POST, MediaType.JSON, "{\"apiVersion\":\"admission.k8s.io/v1beta1\"}")).satisfies(r -> {
            assertThat(r.status().code()).isEqualTo(400);
            assertThat(r.contentUtf8()).startsWith("Malformed admission review request: request body is nil");
        });
        assertThat(send(HttpMethod.POST, MediaType.JSON, "{\"apiVersion\":\"admission.k8s.io/v2\",\"request\":{}}")).satisfies(r -> {
            assertThat(r.status().code()).isEqualTo(400);
            assertThat(r.contentUtf8()).startsWith("Unsupported AdmissionReview version \"admission.k8s.io/v2\"");
        });
        assertThat(send(HttpMethod.POST, MediaType.JSON, "[".repeat(5000)).status().code()).isEqualTo(400);
    }

    @Test
    void probesAndMetricsAnswer() {
        assertThat(fixture.client.get("/healthz").aggregate().join().contentUtf8()).isEqualTo("{\"status\":\"ok\"}");
        assertThat(fixture.client.get("/readyz").aggregate().join().contentUtf8()).isEqualTo("{\"status\":\"ready\"}");
        fixture.client.execute(HttpRequest.of(HttpMethod.POST, "/mutate", MediaType.JSON,
                review(null, "kubeflow", kfpPod(TEMPLATE)).toString())).aggregate().join();
        String metrics = fixture.client.get("/metrics").aggregate().join().contentUtf8();
        assertThat(metrics).contains("kfp_cache_webhook_requests_total{outcome=\"miss\"}");
        assertThat(metrics).contains("kfp_cache_lookup_seconds_count");
    }

    @Test
    void plainHttpServesProbesButNotTheWebhook() {
        com.linecorp.armeria.client.WebClient plain = com.linecorp.armeria.client.WebClient.of(
                "http://127.0.0.1:" + fixture.server.httpPort());
        assertThat(plain.get("/healthz").aggregate().join().status().code()).isEqualTo(200);
        assertThat(plain.get("/readyz").aggregate().join().status().code()).isEqualTo(200);
        assertThat(plain.get("/metrics").aggregate().join().contentUtf8()).contains("kfp_cache_lookup_seconds");
        AggregatedHttpResponse mutate = plain.execute(HttpRequest.of(HttpMethod.POST, "/mutate", MediaType.JSON,
                review(null, "kubeflow", kfpPod(TEMPLATE)).toString())).aggregate().join();
        assertThat(mutate.status().code()).isEqualTo(404);
        assertThat(mutate.contentUtf8()).startsWith("/mutate is served over HTTPS only");
    }

    private static void assertNoPatch(JsonNode answer) {
        JsonNode response = answer.path("response");
        assertThat(response.path("allowed").asBoolean()).isTrue();
        assertThat(response.has("patch")).as("patch in %s", answer).isFalse();
    }

    private static JsonNode post(ObjectNode review) throws Exception {
        AggregatedHttpResponse r = send(HttpMethod.POST, MediaType.JSON, review.toString());
        assertThat(r.status().code()).as(r.contentUtf8()).isEqualTo(200);
        return PodMutator.JSON.readTree(r.contentUtf8());
    }

    private static AggregatedHttpResponse send(HttpMethod method, MediaType type, String body) {
        HttpRequest req = type == null
                ? HttpRequest.of(method, "/mutate", MediaType.OCTET_STREAM, body).withHeaders(
                        com.linecorp.armeria.common.RequestHeaders.of(method, "/mutate"))
                : HttpRequest.of(method, "/mutate", type, body);
        return fixture.client.execute(req).aggregate().join();
    }

    private static JsonNode patch(JsonNode response) throws Exception {
        return PodMutator.JSON.readTree(new String(Base64.getDecoder().decode(response.path("patch").asText()),
                StandardCharsets.UTF_8));
    }
}
