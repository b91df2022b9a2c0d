package kfp.store.guice;

import java.util.Objects;
import javax.sql.DataSource;
import kfp.store.api.Clock;
import kfp.store.api.IdGenerator;
import kfp.store.config.DatabaseConfig;

/**
 * How a store module gets its database and what it does to the schema. Servers pass a
 * {@link DatabaseConfig} (the module opens and owns the pool); tests and benchmarks may hand over a
 * DataSource they manage.
 */
public final class StoreOptions {

    /** What the module does to the schema before the stores start. */
    public enum Migration {
        /** Apply pending migrations (the API server for mlpipeline, the cache server for cachedb). */
        MIGRATE,
        /** Refuse to start unless the schema is current. */
        VALIDATE,
        /** Trust the caller (a test fixture that migrated already). */
        NONE
    }

    final DatabaseConfig config;
    final DataSource dataSource;
    final Migration migration;
    final Clock clock;
    final IdGenerator ids;

    private StoreOptions(DatabaseConfig config, DataSource dataSource, Migration migration, Clock clock, IdGenerator ids) {
        this.config = config;
        this.dataSource = dataSource;
        this.migration = Objects.requireNonNull(migration);
        this.clock = Objects.requireNonNull(clock);
        this.ids = Objects.requireNonNull(ids);
    }

    /** Open a pool from {@code config} and migrate. */
    public static StoreOptions connect(DatabaseConfig config) {
        return new StoreOptions(Objects.requireNonNull(config), null, Migration.MIGRATE, Clock.SYSTEM, IdGenerator.RANDOM_UUID);
    }

    /** Use a caller-managed DataSource as it is. */
    public static StoreOptions using(DataSource dataSource) {
        return new StoreOptions(null, Objects.requireNonNull(dataSource), Migration.NONE, Clock.SYSTEM, IdGenerator.RANDOM_UUID);
    }

    public StoreOptions withMigration(Migration m) {
        return new StoreOptions(config, dataSource, m, clock, ids);
    }

    public StoreOptions withClock(Clock c) {
        return new StoreOptions(config, dataSource, migration, c, ids);
    }

    public StoreOptions withIds(IdGenerator g) {
        return new StoreOptions(config, dataSource, migration, clock, g);
    }
}
