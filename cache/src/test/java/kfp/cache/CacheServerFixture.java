package kfp.cache;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.linecorp.armeria.client.ClientFactory;
import com.linecorp.armeria.client.WebClient;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.util.Map;
import java.util.UUID;
import kfp.store.api.ExecutionCacheStore;
import kfp.store.config.DatabaseConfig;
import kfp.store.guice.StoreOptions;

/**
 * A cache server on a fresh in-memory H2 database with a self-signed certificate on a free port,
 * and an HTTPS client that trusts it. Kubernetes is whatever client the test gives (a mock API server,
 * or one pointing nowhere when only the webhook is under test).
 */
final class CacheServerFixture implements AutoCloseable {

    static final String TEMPLATE = "{\"name\":\"train\",\"container\":{\"image\":\"python:3.9\",\"command\":[\"python\"],"
            + "\"args\":[\"train.py\"]},\"outputs\":{\"parameters\":[{\"name\":\"acc\"}]}}";

    final CacheServer server;
    final ExecutionCacheStore store;
    final WebClient client;
    final KubernetesClient kubernetes;

    CacheServerFixture(Map<String, String> env, KubernetesClient kubernetes) {
        this.kubernetes = kubernetes;
        String url = DatabaseConfig.h2MemoryUrl("cache-" + UUID.randomUUID());
        CacheSettings settings = CacheSettings.from(new String[] {"--db_driver=h2", "--tls_self_signed",
                "--listen_port=0", "--http_port=0", "--namespace_to_watch=kubeflow"}, env);
        this.server = CacheServerMain.start(settings, StoreOptions.connect(DatabaseConfig.forJdbcUrl(url, "sa", "")),
                () -> kubernetes);
        this.store = server.store();
        this.client = WebClient.builder("https://127.0.0.1:" + server.httpsPort())
                .factory(ClientFactory.insecure()).responseTimeoutMillis(10_000).build();
    }

    /** A client for an API server that is not there: the watcher retries quietly in the background. */
    static KubernetesClient nowhere() {
        Config config = new ConfigBuilder().withMasterUrl("https://127.0.0.1:1").withRequestTimeout(1000)
                .withConnectionTimeout(1000).withRequestRetryBackoffLimit(0).build();
        return new KubernetesClientBuilder().withConfig(config).build();
    }

    /** A pod as KFP's v1 pipelines create it: cache enabled, one "main" container with ARGO_TEMPLATE. */
    static ObjectNode kfpPod(String template) {
        ObjectNode pod = PodMutator.JSON.createObjectNode();
        ObjectNode metadata = pod.putObject("metadata");
        metadata.put("name", "train-pod").put("namespace", "kubeflow");
        metadata.putObject("labels").put(PodLabels.CACHE_ENABLED, "true").put("workflows.argoproj.io/workflow", "wf");
        metadata.putObject("annotations").put("workflows.argoproj.io/node-name", "wf.train");
        ObjectNode spec = pod.putObject("spec");
        ObjectNode main = spec.putArray("containers").addObject();
        main.put("name", "main").put("image", "python:3.9");
        main.putArray("command").add("python");
        main.putArray("env").addObject().put("name", "ARGO_TEMPLATE").put("value", template);
        return pod;
    }

    static ObjectNode review(String apiVersion, String namespace, ObjectNode pod) {
        ObjectNode review = PodMutator.JSON.createObjectNode();
        if (apiVersion != null) {
            review.put("apiVersion", apiVersion).put("kind", "AdmissionReview");
        }
        ObjectNode request = review.putObject("request");
        request.put("uid", "uid-1").put("namespace", namespace).put("operation", "CREATE");
        request.putObject("kind").put("group", "").put("version", "v1").put("kind", "Pod");
        request.putObject("resource").put("group", "").put("version", "v1").put("resource", "pods");
        request.set("object", pod);
        return review;
    }

    @Override
    public void close() {
        server.stop();
        kubernetes.close();
    }
}
