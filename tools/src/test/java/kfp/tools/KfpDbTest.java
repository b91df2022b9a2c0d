package kfp.tools;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import kfp.store.Schema;
import kfp.store.testing.TestDatabase;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The copy between real databases: every direction between H2, MySQL (MariaDB) and PostgreSQL,
 * an interrupted copy resumed, a changed value found, and the refusals.
 */
class KfpDbTest {

    private final List<TestDatabase> opened = new ArrayList<>();

    @AfterEach
    void dropDatabases() {
        opened.forEach(TestDatabase::close);
    }

    private TestDatabase db(String id, Schema... schemas) {
        TestDatabase db = TestDatabase.open(id, KfpDbTest.class.getName(), schemas);
        opened.add(db);
        return db;
    }

    private TestDatabase seeded(TestDatabase... sizeFrom) throws Exception {
        TestDatabase source = db("h2", Schema.values());
        List<TestDatabase> all = new ArrayList<>(List.of(sizeFrom));
        all.add(source);
        SeedData.seed(source, SeedData.limits(all.toArray(TestDatabase[]::new)));
        return source;
    }

    /** Runs kfp-db with the databases' credentials in the environment; returns status and output. */
    private static Result run(TestDatabase from, TestDatabase to, long interruptAfterRows, String... args) {
        Map<String, String> env = new HashMap<>();
        env.put("KFP_DB_SOURCE_USER", from.config().user());
        env.put("KFP_DB_SOURCE_PASSWORD", from.config().password());
        env.put("KFP_DB_TARGET_USER", to.config().user());
        env.put("KFP_DB_TARGET_PASSWORD", to.config().password());
        List<String> argv = new ArrayList<>(List.of(args));
        argv.addAll(List.of("--from", from.config().jdbcUrl(), "--to", to.config().jdbcUrl()));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = KfpDb.run(argv.toArray(String[]::new), env, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), interruptAfterRows);
        return new Result(status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    private record Result(int status, String out, String err) {
        Result ok() {
            assertThat(status).as("exit status; out:\n%s\nerr:\n%s", out, err).isZero();
            return this;
        }
    }

    private static void assertSameRows(TestDatabase a, TestDatabase b) {
        Result r = run(a, b, -1, "verify", "--cachedb").ok();
        assertThat(r.out).contains("verify: every table is equal");
        assertThat(b.runCounts()).isEqualTo(b.runCountsOfRunDetails()).isEqualTo(a.runCountsOfRunDetails());
    }

    @Test
    void copiesEveryDirectionAndVerifies() throws Exception {
        TestDatabase mysql1 = db("mysql", Schema.values());     // a database this project created, empty
        TestDatabase postgresql1 = db("postgresql", Schema.values());
        TestDatabase h2 = seeded(mysql1, postgresql1);
        assertThat(h2.count("run_details")).isEqualTo(SeedData.ROWS);
        assertThat(h2.count("execution_caches")).isEqualTo(SeedData.ROWS);

        TestDatabase mysql2 = db("mysql");                        // empty databases: migrated by the copy
        TestDatabase postgresql2 = db("postgresql");
        TestDatabase h2b = db("h2");
        TestDatabase h2c = db("h2");
        record Direction(TestDatabase from, TestDatabase to) {
        }
        for (Direction d : List.of(new Direction(h2, mysql1), new Direction(h2, postgresql1),
                new Direction(mysql1, postgresql2), new Direction(mysql1, h2b),
                new Direction(postgresql1, mysql2), new Direction(postgresql1, h2c))) {
            Result r = run(d.from, d.to, -1, "copy", "--cachedb", "--batch", "3").ok();
            assertThat(r.out).as("%s -> %s", d.from, d.to).contains("verify: every table is equal")
                    .contains("copy run_details: " + SeedData.ROWS + " rows");
            assertSameRows(h2, d.to); // every copy holds the seeded rows, value for value
        }
        // the edge values arrived as values, not only as equal checksums
        for (TestDatabase db : List.of(mysql2, postgresql2, h2c)) {
            assertThat(db.query("SELECT \"NumberValue\" FROM run_metrics WHERE \"NumberValue\" IS NOT NULL")
                    .stream().map(row -> ((Number) row.get(0)).doubleValue()).toList())
                    .as("%s", db).containsAll(List.of(Double.MAX_VALUE, -Double.MAX_VALUE, Double.MIN_NORMAL, 0.1, Double.MIN_VALUE));
            assertThat(db.query("SELECT \"WorkflowRuntimeManifest\" FROM run_details").stream().map(row -> (String) row.get(0)).toList())
                    .as("%s", db).anyMatch(s -> s != null && s.contains(SeedData.UNICODE) && s.length() > 50_000)
                    .anyMatch(s -> s != null && s.contains(SeedData.AWKWARD)).contains("");
            // a new cache entry gets an id after the copied ones
            db.update("INSERT INTO execution_caches (\"ExecutionCacheKey\", \"ExecutionTemplate\", \"ExecutionOutput\","
                    + " \"MaxCacheStaleness\", \"StartedAtInSec\", \"EndedAtInSec\") VALUES ('new', 't', 'o', 1, 2, 3)");
            assertThat(((Number) db.queryValue("SELECT \"ID\" FROM execution_caches WHERE \"ExecutionCacheKey\" = 'new'"))
                    .longValue()).isGreaterThan((SeedData.ROWS - 1) * 7L + 1);
        }
    }

    @Test
    void anInterruptedCopyResumesWithoutLossOrDuplicates() throws Exception {
        TestDatabase mysql = db("mysql", Schema.values());
        TestDatabase postgresql = db("postgresql", Schema.values());
        TestDatabase h2 = seeded(postgresql, mysql);
        // stopped in the middle of a batch of run_details' rows (the 4th table in key order)
        Result stopped = run(h2, mysql, 27, "copy", "--cachedb", "--batch", "4");
        assertThat(stopped.status).isEqualTo(1);
        assertThat(stopped.err).contains("interrupted").contains("--resume");
        long partial = mysql.count("run_details") + mysql.count("experiments") + mysql.count("jobs");
        assertThat(partial).isGreaterThan(0);

        Result refused = run(h2, mysql, -1, "copy", "--cachedb");
        assertThat(refused.status).isEqualTo(1);
        assertThat(refused.err).contains("already holds").contains("--resume");

        Result again = run(h2, mysql, 13, "copy", "--cachedb", "--batch", "5", "--resume");
        assertThat(again.status).isEqualTo(1); // killed once more
        run(h2, mysql, -1, "copy", "--cachedb", "--resume", "--batch", "4").ok();
        assertSameRows(h2, mysql);
        assertThat(mysql.count("run_details")).isEqualTo(SeedData.ROWS);
    }

    @Test
    void verifyNamesTheTableAndKeyOfOneChangedByte() throws Exception {
        TestDatabase postgresql = db("postgresql");
        TestDatabase mysql = db("mysql", Schema.values());
        TestDatabase h2 = seeded(mysql);
        run(h2, postgresql, -1, "copy", "--cachedb").ok();
        String uuid = (String) postgresql.queryValue("SELECT MIN(\"UUID\") FROM tasks WHERE \"Fingerprint\" <> ''");
        postgresql.update("UPDATE tasks SET \"Fingerprint\" = 'x' || SUBSTRING(\"Fingerprint\", 2) WHERE \"UUID\" = ?", uuid);
        Result r = run(h2, postgresql, -1, "verify", "--cachedb");
        assertThat(r.status).isEqualTo(1);
        assertThat(r.out).contains("verify tasks: DIFFERS").contains("UUID=" + uuid).contains("column Fingerprint")
                .contains("verify: 1 table(s) differ");
        // a missing row is named too
        postgresql.update("DELETE FROM run_metrics WHERE \"RunUUID\" = (SELECT MIN(\"RunUUID\") FROM run_metrics)");
        assertThat(run(h2, postgresql, -1, "verify").out).contains("verify run_metrics: DIFFERS")
                .contains("on the source, not on the target");
    }

    @Test
    void refusesWhatItMustNotCopy() throws Exception {
        TestDatabase h2 = seeded();
        TestDatabase other = db("postgresql", Schema.values());
        run(h2, other, -1, "copy").ok();
        // a target that holds runs
        Result full = run(h2, other, -1, "copy");
        assertThat(full.status).isEqualTo(1);
        assertThat(full.err).contains("already holds runs");
        // a source that is not a KFP database
        TestDatabase empty = db("h2");
        Result foreign = run(empty, db("mysql"), -1, "copy");
        assertThat(foreign.status).isEqualTo(1);
        assertThat(foreign.err).contains("holds no mlpipeline schema");
        // the plan writes nothing
        TestDatabase planned = db("mysql");
        Result plan = run(h2, planned, -1, "copy", "--dry-run", "--cachedb").ok();
        assertThat(plan.out).contains("plan (dry run").contains("run_details").contains("run_counts: recounted");
        assertThat(planned.tables(planned.dataSource().getConnection())).isEmpty();
        // a source newer than the migrations the target would get
        h2.update("INSERT INTO flyway_schema_history (\"installed_rank\", \"version\", \"description\", \"type\", \"script\","
                + " \"installed_by\", \"execution_time\", \"success\") VALUES (999, '999', 'future', 'SQL', 'V999__future.sql',"
                + " 'sa', 1, TRUE)");
        Result newer = run(h2, db("mysql"), -1, "copy");
        assertThat(newer.status).isEqualTo(1);
        assertThat(newer.err).contains("version 999, newer than");
        // a password on the command line
        Result password = run(h2, other, -1, "verify", "--to", "x");
        assertThat(password.status).isEqualTo(2);
        Map<String, String> env = Map.of();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = KfpDb.run(new String[] {"verify", "--from", "jdbc:postgresql://db/kfp?user=u&password=secret",
                "--to", "jdbc:h2:mem:x"}, env, System.out, new PrintStream(err, true, StandardCharsets.UTF_8), -1);
        assertThat(status).isEqualTo(1);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("holds a password").doesNotContain("secret");
    }
}
