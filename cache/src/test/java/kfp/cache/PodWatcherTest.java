package kfp.cache;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import com.fasterxml.jackson.databind.JsonNode;
import com.linecorp.armeria.common.HttpMethod;
import com.linecorp.armeria.common.HttpRequest;
import com.linecorp.armeria.common.MediaType;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import kfp.store.api.ExecutionCache;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The pod watcher against fabric8's mock API server (CRUD mode): what it records, and what it labels. */
@EnableKubernetesMockClient(crud = true)
class PodWatcherTest {

    static KubernetesClient client;

    private static CacheServerFixture fixture;

    @BeforeAll
    static void start() {
        fixture = new CacheServerFixture(Map.of("MAXIMUM_CACHE_STALENESS", "P2D"), client);
    }

    @AfterAll
    static void stop() {
        fixture.server.stop();
    }

    /** A pod as Argo leaves a finished KFP step: completed, the webhook's key and an empty cache_id. */
    static Pod finishedPod(String name, String key, String phase) {
        return new PodBuilder()
                .withNewMetadata().withName(name).withNamespace("kubeflow")
                    .addToLabels(PodLabels.CACHE_ID, "")
                    .addToLabels(PodLabels.ARGO_COMPLETED, "true")
                    .addToLabels(PodLabels.METADATA_EXECUTION_ID, "42")
                    .addToAnnotations(PodLabels.EXECUTION_CACHE_KEY, key)
                    .addToAnnotations(PodLabels.ARGO_OUTPUTS, "{\"parameters\":[{\"name\":\"acc\",\"value\":\"<0.9>\"}]}")
                    .addToAnnotations(PodLabels.MAX_CACHE_STALENESS, "P7D")
                .endMetadata()
                .withNewSpec().addNewContainer().withName("main").withImage("python:3.9")
                    .addNewEnv().withName("ARGO_TEMPLATE").withValue(CacheServerFixture.TEMPLATE).endEnv()
                .endContainer().endSpec()
                .withNewStatus().withPhase(phase).endStatus()
                .build();
    }

    @Test
    void aSucceededPodIsRecordedAndLabelledWithItsEntry() {
        client.pods().inNamespace("kubeflow").resource(finishedPod("done", "key-done", "Succeeded")).create();

        ExecutionCache entry = await(() -> fixture.store.getExecutionCache("key-done", -1, -1));
        assertThat(entry.executionTemplate()).isEqualTo(CacheServerFixture.TEMPLATE);
        // the output as KFP's Go watcher marshals it: sorted keys, < and > escaped
        assertThat(entry.executionOutput()).isEqualTo("{\"pipelines.kubeflow.org/metadata_execution_id\":\"42\","
                + "\"workflows.argoproj.io/outputs\":\"{\\\"parameters\\\":[{\\\"name\\\":\\\"acc\\\",\\\"value\\\":\\\"\\u003c0.9\\u003e\\\"}]}\"}");
        assertThat(entry.maxCacheStaleness()).isEqualTo(172_800); // P7D capped at the maximum, P2D
        String label = await(() -> Optional.ofNullable(client.pods().inNamespace("kubeflow").withName("done").get()
                .getMetadata().getLabels().get(PodLabels.CACHE_ID)).filter(v -> !v.isEmpty()));
        assertThat(label).isEqualTo(Long.toString(entry.id()));
    }

    @Test
    void podsThatFailedOrWereAlreadyRecordedAreLeftAlone() throws Exception {
        client.pods().inNamespace("kubeflow").resource(finishedPod("failed", "key-failed", "Failed")).create();
        Pod served = finishedPod("served", "key-served", "Succeeded");
        served.getMetadata().getLabels().put(PodLabels.CACHE_ID, "7");
        client.pods().inNamespace("kubeflow").resource(served).create();
        Pod unkeyed = finishedPod("unkeyed", "", "Succeeded");
        unkeyed.getMetadata().getAnnotations().remove(PodLabels.EXECUTION_CACHE_KEY);
        client.pods().inNamespace("kubeflow").resource(unkeyed).create();
        // a pod created after them is recorded: by then the earlier events were handled
        client.pods().inNamespace("kubeflow").resource(finishedPod("marker", "key-marker", "Succeeded")).create();
        await(() -> fixture.store.getExecutionCache("key-marker", -1, -1));

        assertThat(fixture.store.getExecutionCache("key-failed", -1, -1)).isEmpty();
        assertThat(fixture.store.getExecutionCache("key-served", -1, -1)).isEmpty();
        assertThat(fixture.store.getExecutionCache("", -1, -1)).isEmpty();
        assertThat(client.pods().inNamespace("kubeflow").withName("failed").get().getMetadata().getLabels())
                .containsEntry(PodLabels.CACHE_ID, "");
    }

    @Test
    void aSecondPodWithTheSameKeyKeepsTheFirstEntry() {
        client.pods().inNamespace("kubeflow").resource(finishedPod("first", "key-same", "Succeeded")).create();
        ExecutionCache first = await(() -> fixture.store.getExecutionCache("key-same", -1, -1));
        client.pods().inNamespace("kubeflow").resource(finishedPod("second", "key-same", "Succeeded")).create();
        client.pods().inNamespace("kubeflow").resource(finishedPod("after", "key-after", "Succeeded")).create();
        await(() -> fixture.store.getExecutionCache("key-after", -1, -1));
        assertThat(fixture.store.getExecutionCache("key-same", -1, -1)).contains(first);
    }

    /**
     * The whole loop: the webhook keys a pod (a miss), the step succeeds, the watcher records it, and
     * the next pod with the same template is served from the cache with that entry's id.
     */
    @Test
    void aStepThatRanIsServedFromTheCacheNextTime() throws Exception {
        String template = "{\"name\":\"loop\",\"container\":{\"image\":\"python:3.9\",\"args\":[\"x < y & z\"]}}";
        JsonNode first = mutate(template);
        String key = first.get(0).path("value").path(PodLabels.EXECUTION_CACHE_KEY).asText();
        assertThat(key).isEqualTo(CacheKey.fromTemplate(template).orElseThrow());
        assertThat(first.get(1).path("value").path(PodLabels.CACHE_ID).asText()).isEmpty();

        Pod ran = finishedPod("loop-1", key, "Succeeded"); // as Argo leaves it after the step ran
        ran.getSpec().getContainers().get(0).getEnv().get(0).setValue(template);
        client.pods().inNamespace("kubeflow").resource(ran).create();
        ExecutionCache entry = await(() -> fixture.store.getExecutionCache(key, -1, -1));

        JsonNode second = mutate(template);
        assertThat(second.get(0).path("op").asText()).isEqualTo("replace");
        JsonNode labels = second.get(second.size() - 1).path("value");
        assertThat(labels.path(PodLabels.CACHE_ID).asText()).isEqualTo(Long.toString(entry.id()));
        assertThat(labels.path(PodLabels.REUSED_FROM_CACHE).asText()).isEqualTo("true");
        assertThat(second.get(second.size() - 2).path("value").path(PodLabels.ARGO_OUTPUTS).asText())
                .isEqualTo("{\"parameters\":[{\"name\":\"acc\",\"value\":\"<0.9>\"}]}");
    }

    private static JsonNode mutate(String template) throws Exception {
        String body = CacheServerFixture.review("admission.k8s.io/v1beta1", "kubeflow",
                CacheServerFixture.kfpPod(template)).toString();
        String answer = fixture.client.execute(HttpRequest.of(HttpMethod.POST, "/mutate", MediaType.JSON, body))
                .aggregate().join().contentUtf8();
        String patch = PodMutator.JSON.readTree(answer).path("response").path("patch").asText();
        return PodMutator.JSON.readTree(Base64.getDecoder().decode(patch));
    }

    static <T> T await(Supplier<Optional<T>> probe) {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (System.nanoTime() < deadline) {
            Optional<T> value = probe.get();
            if (value.isPresent()) {
                return value.get();
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
        throw new AssertionError("timed out");
    }
}
