package kfp.cache;

import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import kfp.store.mybatis.Dialect;
import kfp.store.testing.MainProcess;
import kfp.store.testing.OnEachDatabase;
import kfp.store.testing.StoreTest;
import kfp.store.testing.TestDatabase;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The real main, as a process: bad flags or an unusable database end start-up with one stderr line and exit 1. */
@StoreTest(schemas = {})
class CacheStartupTest {

    @OnEachDatabase
    void anUnusableDatabaseIsOneLine(TestDatabase db, @TempDir Path dir) throws Exception {
        List<String> args = new ArrayList<>(List.of("--tls_self_signed", "--listen_port=0"));
        String expected;
        String heldH2 = null;
        if (db.dialect() == Dialect.H2) {
            String path = dir.resolve("cachedb").toString();
            heldH2 = path; // another server has it open
            args.addAll(List.of("--db_driver=h2", "--db_h2_path=" + path));
            expected = "kfp-cache-server: cannot connect to H2 jdbc:h2:file:" + path;
        } else {
            URI uri = URI.create(db.config().jdbcUrl().substring("jdbc:".length()));
            boolean pg = db.dialect() == Dialect.POSTGRESQL;
            String name = uri.getPath().substring(1);
            args.addAll(List.of("--db_driver=" + (pg ? "pgx" : "mysql"), "--db_host", uri.getHost(),
                    "--db_port=" + uri.getPort(), "--db_name=" + name, "--db_user=kfp_no_such_user", "--db_password=wrong"));
            if (pg) {
                args.add("--db_extra_params={\"sslmode\":\"disable\"}");
            }
            expected = "kfp-cache-server: cannot log in to " + (pg ? "PostgreSQL" : "MySQL") + " database '" + name
                    + "' at " + uri.getHost() + ":" + uri.getPort() + " as user 'kfp_no_such_user'"
                    + " (check --db_user and --db_password)";
        }
        MainProcess.assertFailsWithOneLine(CacheServerMain.class, args, Map.of(), dir, heldH2, expected);
    }

    @Test
    void badFlagsAreOneLine(@TempDir Path dir) throws Exception {
        assertOneLine(dir, List.of("--no_such_flag=1"), Map.of(), "kfp-cache-server: flag provided but not defined: -no_such_flag");
        assertOneLine(dir, List.of("--db_driver=oracle"), Map.of(),
                "kfp-cache-server: --db_driver=oracle is not supported (use mysql, pgx or postgresql; h2 for local use)");
        assertOneLine(dir, List.of("--db_driver=pgx", "--db_user=u"), Map.of(),
                "kfp-cache-server: --db_extra_params must set sslmode");
        assertOneLine(dir, List.of("--db_driver=pgx"), Map.of(), "kfp-cache-server: --db_user is required with --db_driver=pgx");
        assertOneLine(dir, List.of("--listen_port=http"), Map.of(),
                "kfp-cache-server: --listen_port=http is not a whole number from 0 to 65535");
        assertOneLine(dir, List.of("--db_driver=h2"), Map.of("CACHE_NODE_RESTRICTIONS", "maybe"),
                "kfp-cache-server: CACHE_NODE_RESTRICTIONS=maybe is not a boolean (true or false)");
        assertOneLine(dir, List.of("--db_driver=h2", "--db_h2_path=" + dir.resolve("db"), "--tls_dir=" + dir, "--listen_port=0"),
                Map.of(), "kfp-cache-server: cannot read the TLS certificate " + dir.resolve("cert.pem"));
    }

    private static void assertOneLine(Path dir, List<String> args, Map<String, String> env, String expected) throws Exception {
        MainProcess.assertFailsWithOneLine(CacheServerMain.class, args, env, dir, null, expected);
    }
}
