package kfp.store.migration;

import java.util.List;
import javax.sql.DataSource;
import kfp.store.dialect.Dialect;
import kfp.store.mybatis.mapper.MapperCatalog;
import kfp.store.mybatis.mapper.RunCountsMapper;
import org.apache.ibatis.mapping.Environment;
import org.apache.ibatis.session.Configuration;
import org.apache.ibatis.session.SqlSession;
import org.apache.ibatis.session.SqlSessionFactory;
import org.apache.ibatis.session.SqlSessionFactoryBuilder;
import org.apache.ibatis.session.TransactionIsolationLevel;
import org.apache.ibatis.transaction.jdbc.JdbcTransactionFactory;

/**
 * The run counters' statements ({@code RunCountsMapper.xml}) outside the stores: for start-up,
 * before the stores exist, and for tools that write runs in bulk (a copy from another database).
 */
public final class RunCounts {

    private RunCounts() {
    }

    /** A session factory over {@code dataSource} that knows only the run counters' mapper. */
    static SqlSessionFactory sessions(DataSource dataSource, Dialect dialect) {
        Configuration configuration = new Configuration(new Environment("run-counts", new JdbcTransactionFactory(), dataSource));
        configuration.setDatabaseId(dialect.databaseId());
        MapperCatalog.load(configuration, List.of(RunCountsMapper.class));
        return new SqlSessionFactoryBuilder().build(configuration);
    }

    /**
     * Replaces every counter with the count of the runs, in one transaction, runs locked first (the
     * lock order of every run change). Returns the number of counters written.
     */
    public static int recount(DataSource dataSource, Dialect dialect) {
        return recount(sessions(dataSource, dialect));
    }

    static int recount(SqlSessionFactory sessions) {
        // REPEATABLE READ: the recount's locking read then holds inserts of runs too (RunCountsMapper.xml)
        try (SqlSession session = sessions.openSession(TransactionIsolationLevel.REPEATABLE_READ)) {
            RunCountsMapper mapper = session.getMapper(RunCountsMapper.class);
            mapper.lockRunsForRecount();
            mapper.deleteCounters();
            int keys = mapper.insertCountersOfRuns();
            session.commit();
            return keys;
        }
    }
}
