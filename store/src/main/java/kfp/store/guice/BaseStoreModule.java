package kfp.store.guice;

import com.google.inject.Key;
import com.google.inject.PrivateModule;
import com.google.inject.Provider;
import com.google.inject.Provides;
import com.google.inject.Singleton;
import com.google.inject.matcher.AbstractMatcher;
import com.google.inject.matcher.Matchers;
import com.google.inject.name.Names;
import com.zaxxer.hikari.HikariDataSource;
import java.lang.reflect.Method;
import java.sql.SQLException;
import javax.sql.DataSource;
import kfp.store.Schema;
import kfp.store.api.Clock;
import kfp.store.api.IdGenerator;
import kfp.store.api.StoreLifecycle;
import kfp.store.config.ConfigurationException;
import kfp.store.config.DataSources;
import kfp.store.dialect.Dialect;
import kfp.store.migration.SchemaMigrations;
import kfp.store.mybatis.NulCharacterCheck;
import kfp.store.mybatis.SqlErrors;
import kfp.store.mybatis.TransactionalInterceptor;
import kfp.store.mybatis.mapper.MapperCatalog;
import org.apache.ibatis.mapping.Environment;
import org.apache.ibatis.session.Configuration;
import org.apache.ibatis.session.LocalCacheScope;
import org.apache.ibatis.session.SqlSessionFactoryBuilder;
import org.apache.ibatis.session.SqlSessionManager;
import org.apache.ibatis.transaction.jdbc.JdbcTransactionFactory;
import org.apache.ibatis.type.JdbcType;

/**
 * The private part every store module shares: the pool, the schema migration, MyBatis with our
 * databaseId, the mapper proxies and {@code @Transactional}. Everything here stays private;
 * subclasses bind their store implementations and expose only the store interfaces.
 *
 * <p>Store implementations must be bound inside this module: Guice applies the transactional
 * interceptor only to classes it constructs in the same private module.
 */
public abstract class BaseStoreModule extends PrivateModule {

    private final Schema schema;
    private final StoreOptions options;
    /** A failed pool start, kept so that Guice's retries for each dependent don't connect again. */
    private RuntimeException dataSourceFailure;
    /** The pool this module opened, which its lifecycle closes; null for a DataSource handed in. */
    private volatile HikariDataSource openedPool;

    protected BaseStoreModule(Schema schema, StoreOptions options) {
        this.schema = schema;
        this.options = options;
    }

    /**
     * The lifecycle of the stores over {@code schema}: the server closes the pool on shutdown, after
     * its last call finished (a pool handed in stays its owner's). One key per schema, so that the
     * stores of both databases can stand in one injector.
     */
    public static Key<StoreLifecycle> lifecycleOf(Schema schema) {
        return Key.get(StoreLifecycle.class, Names.named(schema.folder()));
    }

    @Override
    protected final void configure() {
        bind(lifecycleOf(schema)).toInstance(() -> {
            HikariDataSource pool = openedPool;
            if (pool != null) {
                pool.close();
            }
        });
        expose(lifecycleOf(schema));
        bind(Clock.class).toInstance(options.clock);
        bind(IdGenerator.class).toInstance(options.ids);
        bindInterceptor(Matchers.any(), new AbstractMatcher<Method>() {
            @Override
            public boolean matches(Method method) {
                return TransactionalInterceptor.isTransactional(method);
            }
        }, new TransactionalInterceptor(getProvider(SqlSessionManager.class)));
        for (Class<?> mapper : schema.mappers()) {
            bindMapper(mapper);
        }
        bindStores();
    }

    /** Bind each store interface to its implementation and {@code expose()} the interface. */
    protected abstract void bindStores();

    private <T> void bindMapper(Class<T> type) {
        Provider<SqlSessionManager> sessions = getProvider(SqlSessionManager.class);
        bind(type).toProvider((Provider<T>) () -> sessions.get().getMapper(type)).in(Singleton.class);
    }

    @Provides
    @Singleton
    synchronized DataSource dataSource() {
        if (options.dataSource != null) {
            return options.dataSource;
        }
        if (dataSourceFailure != null) {
            throw dataSourceFailure;
        }
        try {
            HikariDataSource pool = DataSources.open(options.config, "kfp-" + schema.folder());
            try {
                Dialect dialect = dialect(pool);
                switch (options.migration) {
                    case MIGRATE -> SchemaMigrations.migrate(pool, dialect, schema);
                    case VALIDATE -> SchemaMigrations.validate(pool, dialect, schema);
                    case NONE -> { }
                }
            } catch (RuntimeException e) {
                pool.close();
                throw e;
            }
            openedPool = pool;
            return pool;
        } catch (RuntimeException e) {
            dataSourceFailure = e;
            throw e;
        }
    }

    @Provides
    @Singleton
    Dialect dialect(DataSource dataSource) {
        try {
            return Dialect.of(dataSource);
        } catch (SQLException e) {
            throw new ConfigurationException("cannot read the database product: " + e.getMessage(), e);
        }
    }

    @Provides
    @Singleton
    SqlSessionManager sqlSessionManager(DataSource dataSource, Dialect dialect) {
        Configuration configuration = new Configuration(
                new Environment(schema.folder(), new JdbcTransactionFactory(), dataSource));
        configuration.setDatabaseId(dialect.databaseId()); // before parsing, or vendor variants are skipped
        configuration.setCacheEnabled(false);
        configuration.setLocalCacheScope(LocalCacheScope.STATEMENT);
        configuration.setJdbcTypeForNull(JdbcType.NULL);
        configuration.setDefaultStatementTimeout(60);
        configuration.addInterceptor(new SqlErrors.Classifier(dialect)); // what each database's errors mean
        configuration.addInterceptor(new NulCharacterCheck());
        MapperCatalog.load(configuration, schema.mappers());
        return SqlSessionManager.newInstance(new SqlSessionFactoryBuilder().build(configuration));
    }
}
