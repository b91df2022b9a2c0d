package kfp.cache;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.StatusBuilder;
import io.fabric8.kubernetes.api.model.WatchEvent;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import java.util.Map;
import io.fabric8.mockwebserver.http.RecordedRequest;
import kfp.store.api.ExecutionCache;
import org.junit.jupiter.api.Test;

/** A watch the API server ends (410 Gone: the resource version is too old) is opened again. */
@EnableKubernetesMockClient
class PodWatchRestartTest {

    static KubernetesClient client;
    static KubernetesMockServer server;

    private static final String WATCH = "/api/v1/namespaces/kubeflow/pods?allowWatchBookmarks=true"
            + "&labelSelector=pipelines.kubeflow.org%2Fcache_id&watch=true";

    @Test
    void aGoneWatchIsReopenedAndItsEventsRecorded() throws Exception {
        Pod pod = PodWatcherTest.finishedPod("after-restart", "key-restart", "Succeeded");
        server.expect().withPath(WATCH).andUpgradeToWebSocket().open()
                .waitFor(100).andEmit(new WatchEvent(new StatusBuilder().withCode(410)
                        .withMessage("too old resource version").build(), "ERROR"))
                .done().once();
        server.expect().withPath(WATCH).andUpgradeToWebSocket().open()
                .waitFor(100).andEmit(new WatchEvent(pod, "MODIFIED"))
                .done().always();
        server.expect().get().withPath("/api/v1/namespaces/kubeflow/pods/after-restart").andReturn(200, pod).always();
        server.expect().patch().withPath("/api/v1/namespaces/kubeflow/pods/after-restart").andReturn(200, pod).always();

        CacheServerFixture fixture = new CacheServerFixture(Map.of(), client);
        try {
            ExecutionCache entry = PodWatcherTest.await(() -> fixture.store.getExecutionCache("key-restart", -1, -1));
            RecordedRequest patch = PodWatcherTest.await(() -> lastPatch());
            assertThat(patch.getHeader("Content-Type")).startsWith("application/json-patch+json");
            assertThat(patch.getUtf8Body()).contains("\"op\":\"add\"", "\"path\":\"/metadata/labels\"",
                    "\"pipelines.kubeflow.org/cache_id\":\"" + entry.id() + "\"");
            assertThat(fixture.client.get("/metrics").aggregate().join().contentUtf8())
                    .contains("kfp_cache_watch_restarts_total");
        } finally {
            fixture.server.stop();
        }
    }

    private static java.util.Optional<RecordedRequest> lastPatch() {
        try {
            for (int i = server.getRequestCount(); i > 0; i--) {
                RecordedRequest r = server.takeRequest(10, java.util.concurrent.TimeUnit.MILLISECONDS);
                if (r == null) {
                    break;
                }
                if ("PATCH".equals(r.getMethod())) {
                    return java.util.Optional.of(r);
                }
            }
            return java.util.Optional.empty();
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        }
    }
}
