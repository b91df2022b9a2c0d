package kfp.cache;

import com.google.inject.Guice;
import com.google.inject.Injector;
import com.google.inject.Stage;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.function.Supplier;
import kfp.store.Schema;
import kfp.store.api.ExecutionCacheStore;
import kfp.store.config.ConfigurationException;
import kfp.store.guice.CacheStoreModule;
import kfp.store.guice.StoreOptions;

/**
 * Starts the cache server: settings from KFP's flags and variables, the TLS certificate (files, a
 * Secret, or made up for local use), HTTPS on 8443 with the probes, then the {@code cachedb} schema
 * migrated and the store wired by Guice, then the webhook, the pod watcher and the expiry task. A bad
 * setting, a port in use or an unusable database ends start-up with one line on stderr naming it,
 * and exit status 1.
 */
public final class CacheServerMain {

    private CacheServerMain() {
    }

    public static void main(String[] args) {
        try {
            CacheSettings settings = CacheSettings.from(args, System.getenv());
            settings.checkTlsFiles(); // before anything else is touched
            CacheServer server = start(settings, StoreOptions.connect(settings.database()),
                    CacheServerModule::defaultKubernetesClient);
            Runtime.getRuntime().addShutdownHook(new Thread(server::stop, "shutdown"));
            System.err.println("kfp-cache-server: serving https://0.0.0.0:" + server.httpsPort() + "/mutate on "
                    + settings.database().describe());
        } catch (RuntimeException e) {
            ConfigurationException config = ConfigurationException.findIn(e);
            System.err.println("kfp-cache-server: " + (config != null ? config.getMessage() : e));
            if (config == null) {
                e.printStackTrace();
            }
            System.exit(1);
        }
    }

    /**
     * Listens first (the probes answer while the database is awaited and migrated), then wires the
     * store and the server's parts eagerly, so every start-up failure happens here, and serves.
     */
    static CacheServer start(CacheSettings settings, StoreOptions storeOptions, Supplier<KubernetesClient> kubernetes) {
        KubernetesClient client = kubernetes.get();
        WebhookCertificate.Material tls = settings.tlsSecret() == null ? null
                : WebhookCertificate.ensure(client, settings.tlsSecret(), settings.webhookConfig());
        PrometheusMeterRegistry metrics = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        CacheServer server = new CacheServer(settings, tls, metrics);
        server.listen();
        try {
            Injector injector = injector(settings, storeOptions, client, metrics);
            server.serve(new CacheServer.Store(injector.getInstance(ExecutionCacheStore.class),
                    injector.getInstance(AdmissionService.class), injector.getInstance(PodWatcher.class),
                    injector.getInstance(ExpiryTask.class), injector.getInstance(CacheStoreModule.lifecycleOf(Schema.CACHEDB))));
            return server;
        } catch (RuntimeException e) {
            server.stop();
            throw e;
        }
    }

    static Injector injector(CacheSettings settings, StoreOptions storeOptions, KubernetesClient kubernetes,
                             PrometheusMeterRegistry metrics) {
        return Guice.createInjector(Stage.PRODUCTION, new CacheStoreModule(storeOptions),
                new CacheServerModule(settings, kubernetes, metrics));
    }
}
