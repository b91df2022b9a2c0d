package kfp.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import kfp.store.dialect.Dialect;
import kfp.store.testing.MainProcess;
import kfp.store.testing.MainProcess.Result;
import kfp.store.testing.OnEachDatabase;
import kfp.store.testing.StoreTest;
import kfp.store.testing.TestDatabase;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The real main, as a process: a bad setting ends start-up with exit status 1 and one line naming it. */
@StoreTest(schemas = {})
class StartupFailureTest {

    private static final List<String> ARGS = List.of("--httpPortFlag=:0", "--rpcPortFlag=:0");

    @OnEachDatabase
    void refusedConnectionIsOneLineAndExitStatusOne(TestDatabase db, @TempDir Path dir) throws Exception {
        Map<String, String> env = new HashMap<>();
        String expected;
        String heldH2 = null;
        if (db.dialect() == Dialect.H2) {
            // embedded H2: another server already has the data directory open
            String path = dir.resolve("mlpipeline").toString();
            heldH2 = path;
            env.put("DBCONFIG_H2CONFIG_PATH", path);
            expected = "kfp-apiserver: cannot connect to H2 jdbc:h2:file:" + path;
        } else {
            URI uri = URI.create(db.config().jdbcUrl().substring("jdbc:".length()));
            boolean pg = db.dialect() == Dialect.POSTGRESQL;
            String p = pg ? "DBCONFIG_POSTGRESQLCONFIG_" : "DBCONFIG_MYSQLCONFIG_";
            env.put("DBDRIVERNAME", pg ? "pgx" : "mysql");
            env.put(p + "HOST", uri.getHost());
            env.put(p + "PORT", String.valueOf(uri.getPort()));
            env.put(p + "USER", "kfp_no_such_user");
            env.put(p + "PASSWORD", "wrong");
            env.put(p + "DBNAME", uri.getPath().substring(1));
            if (pg) {
                env.put(p + "EXTRAPARAMS", "{\"sslmode\":\"disable\"}");
            }
            expected = "kfp-apiserver: cannot log in to " + (pg ? "PostgreSQL" : "MySQL") + " database '"
                    + uri.getPath().substring(1) + "' at " + uri.getHost() + ":" + uri.getPort()
                    + " as user 'kfp_no_such_user' (check " + p + "USER and " + p + "PASSWORD)";
        }
        MainProcess.assertFailsWithOneLine(ApiServerMain.class, ARGS, env, dir, heldH2, expected);
    }

    @Test
    void unreachableDatabaseIsOneLineAfterTheConnectionTimeout(@TempDir Path dir) throws Exception {
        Result r = runMain(Map.of("DBDRIVERNAME", "mysql", "DBCONFIG_MYSQLCONFIG_HOST", "127.0.0.1",
                "DBCONFIG_MYSQLCONFIG_PORT", "1", "INITCONNECTIONTIMEOUT", "1s"), dir);
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.stderr().get(r.stderr().size() - 1)).startsWith(
                "kfp-apiserver: cannot reach MySQL database 'mlpipeline' at 127.0.0.1:1 as user 'root' within 1s"
                        + " (check DBCONFIG_MYSQLCONFIG_HOST and DBCONFIG_MYSQLCONFIG_PORT)");
        // everything before the verdict is the retry log, nothing else
        assertThat(r.stderr().subList(0, r.stderr().size() - 1)).allMatch(l -> l.contains("not reachable yet"));
    }

    @Test
    void unknownDriverIsOneLine(@TempDir Path dir) throws Exception {
        Result r = runMain(Map.of("DBDRIVERNAME", "oracle"), dir);
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.stderr()).containsExactly(
                "kfp-apiserver: DBDRIVERNAME=oracle is not supported (use mysql, pgx or postgresql; leave unset for embedded H2)");
    }

    @Test
    void multiUserModeIsRefusedForNow(@TempDir Path dir) throws Exception {
        Result r = runMain(Map.of("MULTIUSER", "true"), dir);
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.stderr()).containsExactly("kfp-apiserver: MULTIUSER=true is not supported yet: this server runs"
                + " in single-user mode (unset MULTIUSER or set it to false)");
    }

    @Test
    void aPortInUseIsOneLineNamingIt(@TempDir Path dir) throws Exception {
        try (java.net.ServerSocket taken = new java.net.ServerSocket(0)) {
            Result r = MainProcess.run(ApiServerMain.class, List.of("--httpPortFlag=:" + taken.getLocalPort(), "--rpcPortFlag=:0"),
                    Map.of("DBCONFIG_H2CONFIG_PATH", dir.resolve("mlpipeline").toString()), dir);
            assertThat(r.exit()).isEqualTo(1);
            assertThat(r.stderr()).containsExactly("kfp-apiserver: cannot listen on :" + taken.getLocalPort()
                    + " (--httpPortFlag): the port is in use");
        }
    }

    private static Result runMain(Map<String, String> env, Path dir) throws Exception {
        return MainProcess.run(ApiServerMain.class, ARGS, env, dir);
    }
}
