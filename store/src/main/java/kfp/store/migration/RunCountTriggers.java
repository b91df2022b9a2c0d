package kfp.store.migration;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import javax.sql.DataSource;
import kfp.store.config.ConfigurationException;
import kfp.store.dialect.Dialect;
import kfp.store.mybatis.mapper.MapperCatalog;
import kfp.store.mybatis.mapper.RunCountsMapper;
import org.apache.ibatis.session.SqlSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * MySQL's run counter triggers ({@code mappers/mysql/run_counts_triggers.sql}), created after the
 * migrations when they are missing, then every counter counted again under a lock (triggers
 * first, so no run written meanwhile is missed). A database that refuses to create triggers
 * (a binary log and no SUPER, without log_bin_trust_function_creators; or no TRIGGER privilege)
 * does not stop the server: the counters stay off, logged, and ListRuns counts the matching runs.
 * PostgreSQL's and H2's triggers are created by migration 41 itself.
 */
final class RunCountTriggers {

    private static final Logger LOG = LoggerFactory.getLogger(RunCountTriggers.class);

    static final String RESOURCE = MapperCatalog.ROOT + "mysql/run_counts_triggers.sql";

    /** MySQL's refusals: 1419 binary log without SUPER, 1142 no TRIGGER privilege, 1227 SUPER needed. */
    private static final Set<Integer> REFUSED = Set.of(1419, 1142, 1227);

    private RunCountTriggers() {
    }

    /** Whether the triggers exist afterwards. */
    static boolean install(DataSource dataSource, Dialect dialect) {
        if (dialect != Dialect.MYSQL) {
            return true;
        }
        var sessions = RunCounts.sessions(dataSource, dialect);
        try (SqlSession session = sessions.openSession(true)) {
            if (session.getMapper(RunCountsMapper.class).selectRunCountTriggers().size() == statements().size()) {
                return true;
            }
        }
        try (Connection c = dataSource.getConnection(); Statement st = c.createStatement()) {
            for (String ddl : statements()) {
                st.execute(ddl);
            }
        } catch (SQLException e) {
            if (REFUSED.contains(e.getErrorCode())) {
                LOG.warn("run counters off: the database refuses to create triggers on run_details ({}); ListRuns"
                        + " counts the matching runs for total_size. Allow trigger creation (TRIGGER privilege;"
                        + " with a binary log, log_bin_trust_function_creators=ON) and restart to turn them on.",
                        e.getMessage());
                return false;
            }
            throw new ConfigurationException("cannot create the run counters' triggers: " + e.getMessage(), e);
        }
        LOG.info("run counters: triggers created, {} counters counted", RunCounts.recount(sessions));
        return true;
    }

    /** The CREATE TRIGGER statements: the resource's paragraphs that are not comments. */
    static List<String> statements() {
        try (InputStream in = RunCountTriggers.class.getClassLoader().getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(RESOURCE + " is missing");
            }
            List<String> out = new ArrayList<>();
            for (String paragraph : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\\n\\s*\\n")) {
                if (!paragraph.strip().startsWith("--")) {
                    out.add(paragraph.strip());
                }
            }
            return out;
        } catch (IOException e) {
            throw new IllegalStateException("cannot read " + RESOURCE, e);
        }
    }
}
