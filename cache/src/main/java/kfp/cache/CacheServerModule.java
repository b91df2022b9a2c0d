package kfp.cache;

import com.google.inject.AbstractModule;
import com.google.inject.Provides;
import com.google.inject.Singleton;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.function.Supplier;

/** The cache server's own bindings: settings, metrics and the Kubernetes client (in-cluster or kubeconfig). */
final class CacheServerModule extends AbstractModule {

    private final CacheSettings settings;
    private final Supplier<KubernetesClient> kubernetes;

    CacheServerModule(CacheSettings settings, Supplier<KubernetesClient> kubernetes) {
        this.settings = settings;
        this.kubernetes = kubernetes;
    }

    /** Kubernetes from the pod's service account, or ~/.kube/config outside a cluster. */
    static KubernetesClient defaultKubernetesClient() {
        return new KubernetesClientBuilder().build();
    }

    @Override
    protected void configure() {
        bind(CacheSettings.class).toInstance(settings);
        bind(CacheServer.class);
    }

    @Provides
    @Singleton
    PrometheusMeterRegistry prometheus() {
        return new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    }

    @Provides
    @Singleton
    MeterRegistry meterRegistry(PrometheusMeterRegistry prometheus) {
        return prometheus;
    }

    @Provides
    @Singleton
    KubernetesClient kubernetesClient() {
        return kubernetes.get();
    }
}
