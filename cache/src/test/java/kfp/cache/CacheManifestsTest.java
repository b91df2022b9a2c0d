package kfp.cache;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.linecorp.armeria.client.WebClient;
import com.linecorp.armeria.common.AggregatedHttpResponse;
import com.linecorp.armeria.common.HttpMethod;
import com.linecorp.armeria.common.HttpRequest;
import com.linecorp.armeria.common.MediaType;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import kfp.store.testing.Manifests;
import kfp.store.testing.Manifests.RecordingEnvironment;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every overlay under manifests/ configures the cache server as intended: its flags parse and every
 * variable it is given is read (by the server, or as a flag's value) and every variable it reads is
 * given; its probes and Service reach paths and ports the server serves (checked against a running
 * server); the webhook configuration calls that Service on the server's /mutate with KFP's rules;
 * its TLS is wired one of the two ways (the server's own Secret, or cert-manager) with the RBAC that
 * way needs; and the pod watcher may watch and patch the pods of the namespaces it watches.
 */
class CacheManifestsTest {

    private static final String OVERLAYS = "kfp.store.testing.Manifests#overlays";

    private static CacheServerFixture running;

    @BeforeAll
    static void start() {
        running = new CacheServerFixture(Map.of(), CacheServerFixture.nowhere());
    }

    @AfterAll
    static void stop() {
        running.server.stop();
    }

    @ParameterizedTest
    @MethodSource(OVERLAYS)
    void theCacheServerReadsEveryVariableItIsGivenAndIsGivenEveryVariableItReads(String overlay) {
        Manifests m = Manifests.render(overlay);
        JsonNode container = m.container("cache-server", "server");
        RecordingEnvironment recording = new RecordingEnvironment(m.environment(container));
        CacheSettings settings = CacheSettings.from(m.args(container).toArray(String[]::new), recording);
        m.assertServerReadsExactlyWhatItIsGiven(container, recording, Set.of());

        boolean pg = m.object("ConfigMap", "pipeline-install-config").at("/data/dbType").asText().equals("pgx");
        assertThat(settings.database().jdbcUrl()).isEqualTo(pg ? "jdbc:postgresql://postgres-service:5432/cachedb"
                : "jdbc:mysql://mysql:3306/cachedb");
        assertThat(settings.database().user()).isEqualTo("kfp");
    }

    @ParameterizedTest
    @MethodSource(OVERLAYS)
    void probesAndServiceReachWhatTheServerServes(String overlay) {
        Manifests m = Manifests.render(overlay);
        JsonNode container = m.container("cache-server", "server");
        CacheSettings settings = settings(m);
        for (String probe : List.of("startupProbe", "livenessProbe", "readinessProbe")) {
            JsonNode get = container.at("/" + probe + "/httpGet");
            assertThat(get.isObject()).as(probe).isTrue();
            int port = Manifests.containerPort(container, get.get("port"));
            boolean https = get.path("scheme").asText("HTTP").equals("HTTPS");
            assertThat(port).as(probe + " port").isEqualTo(https ? settings.listenPort() : settings.httpPort());
            assertThat(get(https, get.get("path").asText()).status().code()).as(probe + " " + get.get("path")).isEqualTo(200);
        }
        // liveness must not depend on the database
        assertThat(container.at("/livenessProbe/httpGet/path").asText()).isEqualTo("/healthz");
        assertThat(container.at("/readinessProbe/httpGet/path").asText()).isEqualTo("/readyz");

        JsonNode service = m.object("Service", "cache-server");
        assertThat(service.at("/spec/ports")).hasSize(1);
        assertThat(service.at("/spec/ports/0/port").asInt()).isEqualTo(443);
        assertThat(Manifests.containerPort(container, service.at("/spec/ports/0/targetPort"))).isEqualTo(settings.listenPort());
    }

    @ParameterizedTest
    @MethodSource(OVERLAYS)
    void theWebhookCallsTheCacheServersServiceOnItsMutatePath(String overlay) throws Exception {
        Manifests m = Manifests.render(overlay);
        assertThat(m.all("MutatingWebhookConfiguration")).hasSize(1);
        JsonNode config = m.all("MutatingWebhookConfiguration").get(0);
        assertThat(config.at("/metadata/name").asText()).isEqualTo("cache-webhook-" + Manifests.NAMESPACE); // KFP's name
        assertThat(config.at("/webhooks")).hasSize(1);
        JsonNode webhook = config.at("/webhooks/0");
        // KFP's registration
        assertThat(webhook.at("/failurePolicy").asText()).isEqualTo("Ignore");
        assertThat(webhook.at("/sideEffects").asText()).isEqualTo("None");
        assertThat(webhook.at("/timeoutSeconds").asInt()).isEqualTo(5);
        assertThat(webhook.at("/objectSelector/matchLabels/" + PodLabels.CACHE_ENABLED.replace("/", "~1")).asText()).isEqualTo("true");
        assertThat(webhook.at("/rules")).hasSize(1);
        assertThat(webhook.at("/rules/0").toString()).isEqualTo(
                "{\"apiGroups\":[\"\"],\"apiVersions\":[\"v1\"],\"operations\":[\"CREATE\"],\"resources\":[\"pods\"]}");
        assertThat(strings(webhook.at("/admissionReviewVersions"))).contains("v1beta1");

        // the Service it calls is the cache server's, on the port the Service exposes
        JsonNode target = webhook.at("/clientConfig/service");
        assertThat(target.get("namespace").asText()).isEqualTo(Manifests.NAMESPACE);
        JsonNode service = m.object("Service", target.get("name").asText());
        assertThat(service.at("/metadata/namespace").asText()).isEqualTo(Manifests.NAMESPACE);
        assertThat(service.at("/spec/selector")).isEqualTo(m.object("Deployment", "cache-server").at("/spec/template/metadata/labels"));
        assertThat(target.path("port").asInt(443)).isEqualTo(service.at("/spec/ports/0/port").asInt());
        // and its path is the server's webhook: a KFP pod posted there is answered
        AggregatedHttpResponse answer = running.client.execute(HttpRequest.of(HttpMethod.POST, target.get("path").asText(),
                MediaType.JSON, CacheServerFixture.review(null, "kubeflow", CacheServerFixture.kfpPod(CacheServerFixture.TEMPLATE))
                        .toString())).aggregate().join();
        assertThat(answer.status().code()).isEqualTo(200);
        assertThat(PodMutator.JSON.readTree(answer.contentUtf8()).at("/response/uid").asText()).isEqualTo("uid-1");

        // TLS: names the Service answers to, and the CA given to the API server
        JsonNode container = m.container("cache-server", "server");
        CacheSettings settings = settings(m);
        String serviceName = service.at("/metadata/name").asText();
        List<String> dnsNames = List.of(serviceName, serviceName + "." + Manifests.NAMESPACE, serviceName + "." + Manifests.NAMESPACE + ".svc");
        if (settings.tlsSecret() != null) {
            // the server keeps its certificate in a Secret and writes the CA into this configuration
            assertThat(settings.webhookConfig()).isEqualTo(config.at("/metadata/name").asText());
            assertThat(config.at("/metadata/annotations").isMissingNode()).isTrue();
            assertThat(granted(m, "Role", "secrets", settings.tlsSecret())).contains("create", "get", "update");
            assertThat(granted(m, "ClusterRole", "mutatingwebhookconfigurations", settings.webhookConfig())).contains("get", "patch");
        } else {
            // cert-manager: its certificate mounted where the server reads it, its CA injected here
            String certificateRef = config.at("/metadata/annotations/cert-manager.io~1inject-ca-from").asText();
            assertThat(certificateRef).startsWith(Manifests.NAMESPACE + "/");
            JsonNode certificate = m.object("Certificate", certificateRef.substring(certificateRef.indexOf('/') + 1));
            assertThat(strings(certificate.at("/spec/dnsNames"))).containsAll(dnsNames);
            String mounted = null;
            for (JsonNode mount : container.path("volumeMounts")) {
                if (settings.tlsCert().getParent().toString().equals(mount.get("mountPath").asText())) {
                    for (JsonNode v : m.object("Deployment", "cache-server").at("/spec/template/spec/volumes")) {
                        if (v.get("name").equals(mount.get("name"))) {
                            mounted = v.at("/secret/secretName").asText();
                        }
                    }
                }
            }
            assertThat(mounted).as("Secret mounted at " + settings.tlsCert().getParent()).isEqualTo(certificate.at("/spec/secretName").asText());
            assertThat(settings.tlsCert().getFileName().toString()).isEqualTo("tls.crt");
            assertThat(settings.tlsKey().getFileName().toString()).isEqualTo("tls.key");
            assertThat(granted(m, "Role", "secrets", null)).isEmpty();
            assertThat(m.all("ClusterRole").stream().map(r -> r.toString())).noneMatch(r -> r.contains("mutatingwebhookconfigurations"));
        }
    }

    @ParameterizedTest
    @MethodSource(OVERLAYS)
    void thePodWatcherMayWatchAndPatchThePodsItWatches(String overlay) {
        Manifests m = Manifests.render(overlay);
        boolean everywhere = settings(m).namespaceToWatch().isEmpty();
        assertThat(granted(m, everywhere ? "ClusterRole" : "Role", "pods", null)).contains("list", "watch", "patch");
    }

    /** The verbs the cache server's service account gets on a resource (by name, or any) through roles of one kind. */
    private static Set<String> granted(Manifests m, String kind, String resource, String name) {
        String bindingKind = kind.equals("Role") ? "RoleBinding" : "ClusterRoleBinding";
        Set<String> verbs = new TreeSet<>();
        for (JsonNode binding : m.all(bindingKind)) {
            boolean ours = false;
            for (JsonNode s : binding.path("subjects")) {
                ours |= s.path("kind").asText().equals("ServiceAccount") && s.path("name").asText().equals("kubeflow-pipelines-cache")
                        && s.path("namespace").asText().equals(Manifests.NAMESPACE);
            }
            if (!ours || !binding.at("/roleRef/kind").asText().equals(kind)) {
                continue;
            }
            for (JsonNode rule : m.object(kind, binding.at("/roleRef/name").asText()).path("rules")) {
                List<String> names = strings(rule.path("resourceNames"));
                if (strings(rule.path("resources")).contains(resource) && (names.isEmpty() || name != null && names.contains(name))) {
                    verbs.addAll(strings(rule.path("verbs")));
                }
            }
        }
        return verbs;
    }

    private static CacheSettings settings(Manifests m) {
        JsonNode container = m.container("cache-server", "server");
        return CacheSettings.from(m.args(container).toArray(String[]::new), m.environment(container));
    }

    private static AggregatedHttpResponse get(boolean https, String path) {
        WebClient client = https ? running.client : WebClient.of("http://127.0.0.1:" + running.server.httpPort());
        return client.get(path).aggregate().join();
    }

    private static List<String> strings(JsonNode array) {
        List<String> values = new ArrayList<>();
        array.forEach(v -> values.add(v.asText()));
        return values;
    }

}
