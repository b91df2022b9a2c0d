package kfp.store.dialect;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.Arrays;
import javax.sql.DataSource;

/**
 * The SQL dialects the mappers are written for. {@link #databaseId()} selects MyBatis statement
 * variants; Java code (Dynamic SQL rendering) asks the same value for vendor functions.
 */
public enum Dialect {
    H2("h2", "H2"),
    MYSQL("mysql", "MySQL", "MariaDB"),
    POSTGRESQL("postgresql", "PostgreSQL");

    private final String databaseId;
    private final String[] productNames;

    Dialect(String databaseId, String... productNames) {
        this.databaseId = databaseId;
        this.productNames = productNames;
    }

    public String databaseId() {
        return databaseId;
    }

    /**
     * Exact match on {@code DatabaseMetaData.getDatabaseProductName()}. Anything else is an error:
     * MyBatis's own provider would return null and silently load only the portable statements.
     */
    public static Dialect fromProductName(String productName) {
        for (Dialect d : values()) {
            if (Arrays.asList(d.productNames).contains(productName)) {
                return d;
            }
        }
        throw new IllegalStateException("unsupported database product '" + productName
                + "': kfp-store runs on H2, MySQL, MariaDB and PostgreSQL");
    }

    /**
     * The dialect of the database behind {@code dataSource}. This is our databaseId provider: the
     * store module sets the id from it before any mapper XML is parsed, so vendor variants load.
     */
    public static Dialect of(DataSource dataSource) throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            return fromProductName(c.getMetaData().getDatabaseProductName());
        }
    }
}
