package kfp.server;

import com.google.inject.AbstractModule;
import com.google.inject.Guice;
import com.google.inject.Injector;
import com.google.inject.Stage;
import kfp.store.config.ConfigurationException;
import kfp.store.config.DatabaseConfig;
import kfp.store.guice.StoreModule;
import kfp.store.guice.StoreOptions;

/**
 * Starts the API server: database from KFP's environment variables (none: embedded H2 under
 * ./data), schema migrated, stores wired by Guice, HTTP on 8888. A bad setting ends start-up with
 * one line on stderr naming it, and exit status 1.
 */
public final class ApiServerMain {

    private ApiServerMain() {
    }

    public static void main(String[] args) {
        try {
            ServerSettings settings = ServerSettings.from(args, System.getenv());
            DatabaseConfig database = DatabaseConfig.fromApiServerEnvironment(System.getenv());
            ApiServer server = start(settings, StoreOptions.connect(database));
            Runtime.getRuntime().addShutdownHook(new Thread(server::stop, "shutdown"));
            System.err.println("kfp-apiserver: serving http://0.0.0.0:" + server.httpPort() + " on " + database.describe());
        } catch (RuntimeException e) {
            ConfigurationException config = ConfigurationException.findIn(e);
            System.err.println("kfp-apiserver: " + (config != null ? config.getMessage() : e));
            if (config == null) {
                e.printStackTrace();
            }
            System.exit(1);
        }
    }

    /**
     * Wires the stores and the server and listens. PRODUCTION stage builds every singleton (the
     * pool, the migration, the stores and their start-up rows) here, before anything listens.
     */
    public static ApiServer start(ServerSettings settings, StoreOptions storeOptions) {
        Injector injector = Guice.createInjector(Stage.PRODUCTION, new StoreModule(storeOptions), new AbstractModule() {
            @Override
            protected void configure() {
                bind(ServerSettings.class).toInstance(settings);
                bind(ApiServer.class);
            }
        });
        ApiServer server = injector.getInstance(ApiServer.class);
        server.start();
        return server;
    }
}
