package kfp.store;

import java.util.List;
import kfp.store.mybatis.mapper.MapperCatalog;

/**
 * The two databases KFP keeps: the API server's {@code mlpipeline} and the cache server's
 * {@code cachedb}. Each has its own migrations ({@code mappers/<vendor>/<folder>/}), its own Flyway
 * history table (so both can share one database, as embedded H2 or a test database does) and its
 * own mapper catalogs.
 */
public enum Schema {
    MLPIPELINE("mlpipeline", "flyway_schema_history", MapperCatalog.MLPIPELINE),
    CACHEDB("cachedb", "flyway_cachedb_history", MapperCatalog.CACHEDB);

    private final String folder;
    private final String historyTable;
    private final List<Class<?>> mappers;

    Schema(String folder, String historyTable, List<Class<?>> mappers) {
        this.folder = folder;
        this.historyTable = historyTable;
        this.mappers = mappers;
    }

    /** Folder of this schema's migrations under {@code mappers/<databaseId>/}. */
    public String folder() {
        return folder;
    }

    public String historyTable() {
        return historyTable;
    }

    public List<Class<?>> mappers() {
        return mappers;
    }
}
