package kfp.store.command;

import com.google.inject.Guice;
import com.google.inject.Injector;
import java.io.PrintStream;
import java.util.List;
import java.util.Map;
import kfp.store.api.RunCounters;
import kfp.store.api.StoreLifecycle;
import kfp.store.config.ConfigurationException;
import kfp.store.config.DatabaseConfig;
import kfp.store.guice.StoreModule;
import kfp.store.guice.StoreOptions;

/**
 * {@code check} or {@code recount} the run counters of the API server's database, configured as
 * the API server is (KFP's DBCONFIG_* variables). The schema must be current (nothing is
 * migrated). Exit status: 0 when the counters are exact (after a recount: were made exact),
 * 1 when {@code check} finds drift, 2 on a usage or connection error.
 * <pre>java -cp kfp-store.jar kfp.store.command.RunCountersCommand check|recount</pre>
 */
public final class RunCountersCommand {

    private RunCountersCommand() {
    }

    public static void main(String[] args) {
        System.exit(run(args, System.getenv(), System.out, System.err));
    }

    static int run(String[] args, Map<String, String> env, PrintStream out, PrintStream err) {
        if (args.length != 1 || !(args[0].equals("check") || args[0].equals("recount"))) {
            err.println("usage: RunCountersCommand check|recount");
            return 2;
        }
        StoreLifecycle lifecycle = null;
        try {
            StoreOptions options = StoreOptions.connect(DatabaseConfig.fromApiServerEnvironment(env))
                    .withMigration(StoreOptions.Migration.VALIDATE);
            Injector injector = Guice.createInjector(new StoreModule(options));
            lifecycle = injector.getInstance(StoreLifecycle.class);
            return run(args[0], injector.getInstance(RunCounters.class), out);
        } catch (RuntimeException e) {
            ConfigurationException config = ConfigurationException.findIn(e);
            err.println("run counters: " + (config != null ? config.getMessage() : e));
            return 2;
        } finally {
            if (lifecycle != null) {
                lifecycle.close();
            }
        }
    }

    /** The command over given counters (the tests' stores). */
    public static int run(String command, RunCounters counters, PrintStream out) {
        if (command.equals("recount")) {
            out.println("recounted " + counters.recount() + " counters");
        }
        List<RunCounters.Drift> drift = counters.check();
        for (RunCounters.Drift d : drift) {
            out.println("drift: experiment=" + d.experimentId() + " namespace=" + d.namespace() + " storage_state="
                    + d.storageState() + " state=" + d.state() + " counted=" + d.counted() + " runs=" + d.runs());
        }
        out.println(drift.isEmpty() ? "run counters are exact" : drift.size() + " counters differ from their runs");
        return drift.isEmpty() ? 0 : 1;
    }
}
