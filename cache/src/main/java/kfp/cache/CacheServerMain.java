package kfp.cache;

import com.google.inject.Guice;
import com.google.inject.Injector;
import com.google.inject.Stage;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.function.Supplier;
import kfp.store.config.ConfigurationException;
import kfp.store.guice.CacheStoreModule;
import kfp.store.guice.StoreOptions;

/**
 * Starts the cache server: settings from KFP's flags and variables, the {@code cachedb} schema
 * migrated, the store wired by Guice, HTTPS on 8443. A bad setting or an unusable database ends
 * start-up with one line on stderr naming it, and exit status 1.
 */
public final class CacheServerMain {

    private CacheServerMain() {
    }

    public static void main(String[] args) {
        try {
            CacheSettings settings = CacheSettings.from(args, System.getenv());
            settings.checkTlsFiles(); // before the database is touched
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

    /** Wires the store and the server (eagerly, so every start-up failure happens here) and listens. */
    static CacheServer start(CacheSettings settings, StoreOptions storeOptions, Supplier<KubernetesClient> kubernetes) {
        CacheServer server = injector(settings, storeOptions, kubernetes).getInstance(CacheServer.class);
        server.start();
        return server;
    }

    static Injector injector(CacheSettings settings, StoreOptions storeOptions, Supplier<KubernetesClient> kubernetes) {
        return Guice.createInjector(Stage.PRODUCTION, new CacheStoreModule(storeOptions),
                new CacheServerModule(settings, kubernetes));
    }
}
