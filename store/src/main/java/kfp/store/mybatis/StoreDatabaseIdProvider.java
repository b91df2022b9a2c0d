package kfp.store.mybatis;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.Properties;
import javax.sql.DataSource;
import org.apache.ibatis.mapping.DatabaseIdProvider;

/** MyBatis databaseId from the connected product, by exact match (see {@link Dialect#fromProductName}). */
public final class StoreDatabaseIdProvider implements DatabaseIdProvider {

    @Override
    public void setProperties(Properties p) {
        // nothing to configure: the mapping is fixed
    }

    @Override
    public String getDatabaseId(DataSource dataSource) throws SQLException {
        return dialectOf(dataSource).databaseId();
    }

    public static Dialect dialectOf(DataSource dataSource) throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            return Dialect.fromProductName(c.getMetaData().getDatabaseProductName());
        }
    }
}
