package kfp.server;

import kfp.server.config.ServerSettings;
import kfp.store.config.ConfigurationException;
import kfp.store.config.DatabaseConfig;
import kfp.store.guice.StoreOptions;
import kfp.store.guice.StoreOptions.Migration;

/**
 * Starts the API server: settings from KFP's flags and variables, both ports bound first (healthz
 * answers while the database is connected), the database from KFP's environment variables (none:
 * embedded H2 under ./data) migrated unless {@code --migrate=false}, then the API served. A bad
 * setting, a port in use or an unusable database ends start-up with one line on stderr naming it,
 * and exit status 1. SIGTERM stops gracefully.
 */
public final class ApiServerMain {

    private ApiServerMain() {
    }

    public static void main(String[] args) {
        try {
            ServerSettings settings = ServerSettings.from(args, System.getenv());
            DatabaseConfig database = DatabaseConfig.fromApiServerEnvironment(System.getenv());
            StoreOptions options = StoreOptions.connect(database)
                    .withMigration(settings.migrate() ? Migration.MIGRATE : Migration.VALIDATE);
            ApiServer server = ApiServer.listen(settings, options);
            Runtime.getRuntime().addShutdownHook(new Thread(server::stop, "shutdown"));
            server.connect();
            System.err.println("kfp-apiserver: serving http://0.0.0.0:" + server.httpPort() + " and gRPC on :"
                    + server.rpcPort() + " over " + database.describe());
        } catch (RuntimeException e) {
            ConfigurationException config = ConfigurationException.findIn(e);
            System.err.println("kfp-apiserver: " + (config != null ? config.getMessage() : e));
            if (config == null) {
                e.printStackTrace();
            }
            System.exit(1);
        }
    }
}
