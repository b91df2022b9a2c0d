package kfp.cache;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.linecorp.armeria.client.ClientFactory;
import com.linecorp.armeria.client.WebClient;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.MutatingWebhookConfiguration;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.MutatingWebhookConfigurationBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import java.io.ByteArrayInputStream;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import javax.net.ssl.TrustManagerFactory;
import kfp.store.config.ConfigurationException;
import kfp.store.config.DatabaseConfig;
import kfp.store.guice.StoreOptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The webhook certificate kept in a Secret (--tls_secret), against fabric8's mock API server in CRUD
 * mode: made once, reused by the next start, replaced when it no longer fits, its CA wired into the
 * webhook configuration, and served by the server so that a client trusting only that CA connects.
 */
@EnableKubernetesMockClient(crud = true)
class WebhookCertificateTest {

    static KubernetesClient client;

    private static final String SECRET = "webhook-server-tls";
    private static final String CONFIG = "cache-webhook-kubeflow";

    private KubernetesClient kubeflow;

    @BeforeEach
    void webhookConfiguration() {
        kubeflow = client.adapt(io.fabric8.kubernetes.client.NamespacedKubernetesClient.class).inNamespace("kubeflow");
        kubeflow.secrets().inNamespace("kubeflow").withName(SECRET).delete();
        kubeflow.admissionRegistration().v1().mutatingWebhookConfigurations().withName(CONFIG).delete();
        kubeflow.admissionRegistration().v1().mutatingWebhookConfigurations().resource(new MutatingWebhookConfigurationBuilder()
                .withNewMetadata().withName(CONFIG).endMetadata()
                .addNewWebhook().withName("cache-server.kubeflow.svc")
                    .withNewClientConfig().withNewService().withName("cache-server").withNamespace("kubeflow")
                    .withPath("/mutate").endService().endClientConfig()
                .endWebhook()
                .addNewWebhook().withName("elsewhere.example.com") // not ours: left alone
                    .withNewClientConfig().withUrl("https://elsewhere.example.com/mutate").endClientConfig()
                .endWebhook()
                .build()).create();
    }

    @Test
    void aMissingSecretIsMadeAndItsCaWiredIntoTheWebhook() throws Exception {
        WebhookCertificate.Material made = WebhookCertificate.ensure(kubeflow, SECRET, CONFIG);

        assertThat(sans(made.cert())).containsExactlyInAnyOrder("cache-server", "cache-server.kubeflow", "cache-server.kubeflow.svc");
        made.cert().verify(made.ca().getPublicKey());
        assertThat(made.ca().getBasicConstraints()).isGreaterThanOrEqualTo(0); // a CA

        Secret secret = kubeflow.secrets().inNamespace("kubeflow").withName(SECRET).get();
        assertThat(secret.getType()).isEqualTo("kubernetes.io/tls");
        assertThat(secret.getData()).containsOnlyKeys("ca.crt", "tls.crt", "tls.key");
        assertThat(certificate(secret.getData().get("tls.crt"))).isEqualTo(made.cert());

        MutatingWebhookConfiguration config = kubeflow.admissionRegistration().v1().mutatingWebhookConfigurations().withName(CONFIG).get();
        assertThat(certificate(config.getWebhooks().get(0).getClientConfig().getCaBundle())).isEqualTo(made.ca());
        assertThat(config.getWebhooks().get(1).getClientConfig().getCaBundle()).isNull();
    }

    @Test
    void theNextStartReusesTheSecretAndAStaleOneIsReplaced() throws Exception {
        WebhookCertificate.Material first = WebhookCertificate.ensure(kubeflow, SECRET, CONFIG);
        assertThat(WebhookCertificate.ensure(kubeflow, SECRET, CONFIG).cert()).isEqualTo(first.cert());

        // a certificate for another service name (KFP's cache-deployer wrote cert.pem and key.pem: also unusable)
        WebhookCertificate.Material other = WebhookCertificate.generate(List.of("other-service.kubeflow.svc"), Instant.now());
        Secret stale = kubeflow.secrets().inNamespace("kubeflow").withName(SECRET).get();
        kubeflow.secrets().inNamespace("kubeflow").resource(new SecretBuilder(stale).withData(WebhookCertificate.encode(other)).build()).update();
        WebhookCertificate.Material replaced = WebhookCertificate.ensure(kubeflow, SECRET, CONFIG);
        assertThat(replaced.cert()).isNotEqualTo(other.cert()).isNotEqualTo(first.cert());
        assertThat(sans(replaced.cert())).contains("cache-server.kubeflow.svc");

        // one that expires within the renewal window
        assertThat(WebhookCertificate.usable(replaced, List.of("cache-server.kubeflow.svc"), Instant.now())).isTrue();
        assertThat(WebhookCertificate.usable(replaced, List.of("cache-server.kubeflow.svc"),
                Instant.now().plus(WebhookCertificate.VALIDITY).minus(WebhookCertificate.RENEW_BEFORE.dividedBy(2)))).isFalse();
    }

    @Test
    void aConfigurationThatDoesNotCallThisNamespaceIsOneLine() {
        assertThatThrownBy(() -> WebhookCertificate.ensure(kubeflow, SECRET, "no-such-config"))
                .isInstanceOf(ConfigurationException.class)
                .hasMessage("MutatingWebhookConfiguration no-such-config does not exist (check --webhook_config)");
        KubernetesClient elsewhere = client.adapt(io.fabric8.kubernetes.client.NamespacedKubernetesClient.class).inNamespace("other");
        assertThatThrownBy(() -> WebhookCertificate.ensure(elsewhere, SECRET, CONFIG))
                .isInstanceOf(ConfigurationException.class)
                .hasMessage("MutatingWebhookConfiguration " + CONFIG + " has no webhook calling a Service in namespace other"
                        + " (check --webhook_config)");
    }

    @Test
    void theServerServesTheSecretsCertificate() throws Exception {
        CacheSettings settings = CacheSettings.from(new String[] {"--db_driver=h2", "--listen_port=0",
                "--tls_secret=" + SECRET, "--webhook_config=" + CONFIG, "--namespace_to_watch=kubeflow"}, Map.of());
        String url = DatabaseConfig.h2MemoryUrl("cache-" + UUID.randomUUID());
        CacheServer server = CacheServerMain.start(settings, StoreOptions.connect(DatabaseConfig.forJdbcUrl(url, "sa", "")),
                () -> kubeflow);
        try {
            X509Certificate ca = certificate(kubeflow.secrets().inNamespace("kubeflow").withName(SECRET).get().getData().get("ca.crt"));
            java.security.KeyStore trust = java.security.KeyStore.getInstance("PKCS12");
            trust.load(null, null);
            trust.setCertificateEntry("ca", ca);
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(trust);
            // the chain is checked against the CA alone; the name is the Service's, not 127.0.0.1
            try (ClientFactory factory = ClientFactory.builder().tlsCustomizer(b -> b.trustManager(tmf)).tlsNoVerifyHosts("127.0.0.1").build()) {
                WebClient https = WebClient.builder("https://127.0.0.1:" + server.httpsPort()).factory(factory).build();
                assertThat(https.get("/readyz").aggregate().join().status().code()).isEqualTo(200);
            }
        } finally {
            server.stop();
        }
    }

    private static List<String> sans(X509Certificate cert) throws Exception {
        return cert.getSubjectAlternativeNames().stream().map(san -> (String) san.get(1)).toList();
    }

    private static X509Certificate certificate(String base64Pem) throws Exception {
        return (X509Certificate) CertificateFactory.getInstance("X.509")
                .generateCertificate(new ByteArrayInputStream(Base64.getDecoder().decode(base64Pem)));
    }
}
