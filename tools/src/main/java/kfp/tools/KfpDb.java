package kfp.tools;

import com.zaxxer.hikari.HikariDataSource;
import java.io.PrintStream;
import java.sql.SQLException;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import kfp.store.Schema;
import kfp.store.config.ConfigurationException;

/**
 * {@code kfp-db}: moves a KFP database between H2, MySQL and PostgreSQL, and proves the copy whole.
 *
 * <pre>
 * java -jar tools/target/kfp-db.jar copy   --from SRC --to DST [--cachedb] [--resume] [--dry-run] [--batch N] [--no-verify]
 * java -jar tools/target/kfp-db.jar verify --from SRC --to DST [--cachedb]
 * </pre>
 *
 * SRC and DST are JDBC URLs (user and password in {@code KFP_DB_SOURCE_USER}, {@code
 * KFP_DB_SOURCE_PASSWORD}, {@code KFP_DB_TARGET_USER}, {@code KFP_DB_TARGET_PASSWORD}) or
 * {@code env:<PREFIX>}: KFP's variables with that prefix. Exit status: 0 done (and equal), 1 refused,
 * failed or different, 2 a usage error.
 */
public final class KfpDb {

    static final String USAGE = """
            usage: kfp-db copy   --from <source> --to <target> [--cachedb] [--resume] [--dry-run] [--batch N] [--no-verify]
                   kfp-db verify --from <source> --to <target> [--cachedb]
              <source>, <target>: a JDBC URL (user and password from KFP_DB_SOURCE_USER/_PASSWORD,
                                  KFP_DB_TARGET_USER/_PASSWORD), or env:<PREFIX> for KFP's own variables
                                  with that prefix (env:SOURCE_ reads SOURCE_DBDRIVERNAME, SOURCE_DBCONFIG_…)
              --cachedb           the cache server's tables too (same databases, or --cachedb-from/--cachedb-to)""";

    private KfpDb() {
    }

    public static void main(String[] args) {
        if (System.getProperty("org.slf4j.simpleLogger.defaultLogLevel") == null) {
            System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn");
        }
        System.exit(run(args, System.getenv(), System.out, System.err));
    }

    /** Runs one command; returns the exit status. */
    static int run(String[] args, Map<String, String> env, PrintStream out, PrintStream err) {
        return run(args, env, out, err, -1);
    }

    /** {@code interruptAfterRows} (tests): the copy stops as a kill would, after that many rows. */
    static int run(String[] args, Map<String, String> env, PrintStream out, PrintStream err, long interruptAfterRows) {
        Arguments a;
        try {
            a = Arguments.parse(args);
        } catch (IllegalArgumentException e) {
            err.println("kfp-db: " + e.getMessage());
            err.println(USAGE);
            return 2;
        }
        a.interruptAfterRows = interruptAfterRows;
        try {
            return a.command.equals("copy") ? copy(a, env, out) : verify(a, env, out);
        } catch (ConfigurationException e) {
            err.println("kfp-db: " + e.getMessage());
            return 1;
        } catch (Copier.Interrupted e) {
            err.println("kfp-db: " + e.getMessage() + "; run the same copy with --resume to continue");
            return 1;
        } catch (SQLException e) {
            // a batch's own message may quote the statement with its values: the cause is in the next one
            SQLException cause = e.getNextException() != null ? e.getNextException() : e;
            String message = cause.getMessage() == null ? "" : cause.getMessage().replaceAll("\\s+", " ");
            err.println("kfp-db: database error: " + (message.length() > 400 ? message.substring(0, 400) + "…" : message)
                    + " (SQLSTATE " + cause.getSQLState() + "); what was committed stays, --resume continues after it");
            return 1;
        }
    }

    private static int copy(Arguments a, Map<String, String> env, PrintStream out) throws SQLException {
        for (Job job : jobs(a, env)) {
            try (HikariDataSource src = job.from.open(); HikariDataSource dst = job.to.open()) {
                out.println("copy " + job.schemas + " from " + job.from.describe() + " to " + job.to.describe());
                Copier copier = new Copier(src, dst, new Copier.Options(job.schemas, a.resume, a.dryRun, a.batch,
                        a.interruptAfterRows), out);
                copier.copy();
                if (!a.dryRun && a.verify && !new Verifier(src, dst, job.schemas, a.batch, out).verify().isEmpty()) {
                    return 1;
                }
            }
        }
        return 0;
    }

    private static int verify(Arguments a, Map<String, String> env, PrintStream out) throws SQLException {
        int status = 0;
        for (Job job : jobs(a, env)) {
            try (HikariDataSource src = job.from.open(); HikariDataSource dst = job.to.open()) {
                out.println("verify " + job.schemas + ": " + job.from.describe() + " against " + job.to.describe());
                if (!new Verifier(src, dst, job.schemas, a.batch, out).verify().isEmpty()) {
                    status = 1;
                }
            }
        }
        return status;
    }

    /** The schemas to move, and between which databases (cachedb: the same ones unless named apart). */
    private record Job(Endpoint from, Endpoint to, Set<Schema> schemas) {
    }

    private static List<Job> jobs(Arguments a, Map<String, String> env) {
        Endpoint from = Endpoint.parse("SOURCE", a.from, env);
        Endpoint to = Endpoint.parse("TARGET", a.to, env);
        if (!a.cachedb) {
            return List.of(new Job(from, to, EnumSet.of(Schema.MLPIPELINE)));
        }
        if (a.cachedbFrom == null && a.cachedbTo == null) {
            return List.of(new Job(from, to, EnumSet.of(Schema.MLPIPELINE, Schema.CACHEDB)));
        }
        if (a.cachedbFrom == null || a.cachedbTo == null) {
            throw new ConfigurationException("--cachedb-from and --cachedb-to go together");
        }
        return List.of(new Job(from, to, EnumSet.of(Schema.MLPIPELINE)),
                new Job(Endpoint.parse("SOURCE", a.cachedbFrom, env), Endpoint.parse("TARGET", a.cachedbTo, env),
                        EnumSet.of(Schema.CACHEDB)));
    }

    /** The command line, checked. */
    static final class Arguments {
        String command;
        String from;
        String to;
        String cachedbFrom;
        String cachedbTo;
        boolean cachedb;
        boolean resume;
        boolean dryRun;
        boolean verify = true;
        int batch = 500;
        /** Tests only (no flag): stop as a kill would after this many rows. */
        long interruptAfterRows = -1;

        static Arguments parse(String[] args) {
            if (args.length == 0 || !(args[0].equals("copy") || args[0].equals("verify"))) {
                throw new IllegalArgumentException(args.length == 0 ? "no command" : "unknown command " + args[0]);
            }
            Arguments a = new Arguments();
            a.command = args[0];
            Map<String, String> seen = new HashMap<>();
            for (int i = 1; i < args.length; i++) {
                String arg = args[i];
                if (seen.put(arg, arg) != null) {
                    throw new IllegalArgumentException(arg + " given twice");
                }
                switch (arg) {
                    case "--from" -> a.from = value(args, ++i, arg);
                    case "--to" -> a.to = value(args, ++i, arg);
                    case "--cachedb-from" -> a.cachedbFrom = value(args, ++i, arg);
                    case "--cachedb-to" -> a.cachedbTo = value(args, ++i, arg);
                    case "--cachedb" -> a.cachedb = true;
                    case "--resume" -> a.resume = copyOnly(a, arg);
                    case "--dry-run" -> a.dryRun = copyOnly(a, arg);
                    case "--no-verify" -> a.verify = !copyOnly(a, arg);
                    case "--batch" -> {
                        String v = value(args, ++i, arg);
                        try {
                            a.batch = Integer.parseInt(v);
                        } catch (NumberFormatException e) {
                            throw new IllegalArgumentException("--batch " + v + " is not a whole number");
                        }
                        if (a.batch < 1 || a.batch > 100_000) {
                            throw new IllegalArgumentException("--batch must be between 1 and 100000");
                        }
                    }
                    default -> throw new IllegalArgumentException("unknown option " + arg);
                }
            }
            if (a.from == null || a.to == null) {
                throw new IllegalArgumentException("--from and --to are required");
            }
            if ((a.cachedbFrom != null || a.cachedbTo != null) && !a.cachedb) {
                a.cachedb = true;
            }
            return a;
        }

        private static boolean copyOnly(Arguments a, String option) {
            if (!a.command.equals("copy")) {
                throw new IllegalArgumentException(option + " belongs to copy");
            }
            return true;
        }

        private static String value(String[] args, int i, String option) {
            if (i >= args.length || args[i].startsWith("--")) {
                throw new IllegalArgumentException(option + " needs a value");
            }
            return args[i];
        }
    }
}
