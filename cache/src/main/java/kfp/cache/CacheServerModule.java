package kfp.cache;

import com.google.inject.AbstractModule;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;

/** The cache server's own bindings: settings, metrics and the Kubernetes client (in-cluster or kubeconfig). */
final class CacheServerModule extends AbstractModule {

    private final CacheSettings settings;
    private final KubernetesClient kubernetes;
    private final PrometheusMeterRegistry metrics;

    CacheServerModule(CacheSettings settings, KubernetesClient kubernetes, PrometheusMeterRegistry metrics) {
        this.settings = settings;
        this.kubernetes = kubernetes;
        this.metrics = metrics;
    }

    /** Kubernetes from the pod's service account, or ~/.kube/config outside a cluster. */
    static KubernetesClient defaultKubernetesClient() {
        return new KubernetesClientBuilder().build();
    }

    @Override
    protected void configure() {
        bind(CacheSettings.class).toInstance(settings);
        bind(KubernetesClient.class).toInstance(kubernetes);
        bind(PrometheusMeterRegistry.class).toInstance(metrics);
        bind(MeterRegistry.class).toInstance(metrics);
    }
}
