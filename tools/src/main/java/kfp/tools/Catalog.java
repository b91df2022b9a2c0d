package kfp.tools;

import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Pattern;
import kfp.store.Schema;
import kfp.store.config.ConfigurationException;

/**
 * The tables of a database as its JDBC catalog describes them: columns (type family, generated or
 * not), primary key and the tables each references. Nothing here names a column: what is copied is
 * what the databases say they have, so a migration that adds a column or a table needs no change.
 */
final class Catalog {

    /** The cache server's tables; every other table of ours or KFP's belongs to mlpipeline. */
    static final Set<String> CACHEDB_TABLES = Set.of("execution_caches");

    /** Derived from run_details by triggers: recounted on the target, never copied or compared. */
    static final String RUN_COUNTS = "run_counts";

    /** Identifiers reach SQL only from the catalog, and only in this shape. */
    private static final Pattern IDENTIFIER = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

    /** How a value is read, written and encoded for comparison, whatever the vendor's type name. */
    enum Family { BOOLEAN, INTEGER, DOUBLE, DECIMAL, STRING, BYTES }

    record Column(String name, Family family, int jdbcType, String typeName, boolean generated, boolean autoIncrement) {
    }

    record Table(String name, Map<String, Column> columns, List<String> key, Set<String> parents) {

        /** Columns a copy writes: every stored one; generated columns are the target's to compute. */
        List<Column> stored() {
            return columns.values().stream().filter(c -> !c.generated()).toList();
        }

        Column column(String name) {
            return columns.get(name);
        }
    }

    private Catalog() {
    }

    /** The schema a table belongs to. */
    static Schema schemaOf(String table) {
        return CACHEDB_TABLES.contains(table) ? Schema.CACHEDB : Schema.MLPIPELINE;
    }

    /** Names of the base tables of the connection's database (schema, on PostgreSQL). */
    static Set<String> tableNames(Connection c) throws SQLException {
        Set<String> names = new TreeSet<>();
        DatabaseMetaData md = c.getMetaData();
        try (ResultSet rs = md.getTables(c.getCatalog(), c.getSchema(), "%", new String[] {"TABLE"})) {
            while (rs.next()) {
                names.add(rs.getString("TABLE_NAME"));
            }
        }
        return names;
    }

    /**
     * The data tables of {@code schemas} in this database: not Flyway's history, not the run
     * counters. In parent-before-child order (foreign keys), ties by name.
     */
    static List<Table> dataTables(Connection c, Set<Schema> schemas) throws SQLException {
        Set<String> skip = new LinkedHashSet<>();
        skip.add(RUN_COUNTS);
        for (Schema s : Schema.values()) {
            skip.add(s.historyTable());
        }
        Map<String, Table> tables = new TreeMap<>();
        for (String name : tableNames(c)) {
            if (!skip.contains(name) && schemas.contains(schemaOf(name))) {
                tables.put(name, table(c, name));
            }
        }
        return parentsFirst(tables);
    }

    static Table table(Connection c, String name) throws SQLException {
        identifier(name);
        DatabaseMetaData md = c.getMetaData();
        Map<String, Column> columns = new LinkedHashMap<>();
        try (ResultSet rs = md.getColumns(c.getCatalog(), c.getSchema(), name, "%")) {
            while (rs.next()) {
                String column = identifier(rs.getString("COLUMN_NAME"));
                int type = rs.getInt("DATA_TYPE");
                String typeName = rs.getString("TYPE_NAME");
                columns.put(column, new Column(column, family(name, column, type, typeName),
                        type, typeName, "YES".equals(rs.getString("IS_GENERATEDCOLUMN")),
                        "YES".equals(rs.getString("IS_AUTOINCREMENT"))));
            }
        }
        TreeMap<Integer, String> key = new TreeMap<>();
        try (ResultSet rs = md.getPrimaryKeys(c.getCatalog(), c.getSchema(), name)) {
            while (rs.next()) {
                key.put(rs.getInt("KEY_SEQ"), identifier(rs.getString("COLUMN_NAME")));
            }
        }
        if (key.isEmpty()) {
            throw new ConfigurationException("table " + name + " has no primary key: its rows cannot be copied in key order");
        }
        Set<String> parents = new TreeSet<>();
        try (ResultSet rs = md.getImportedKeys(c.getCatalog(), c.getSchema(), name)) {
            while (rs.next()) {
                String parent = rs.getString("PKTABLE_NAME");
                if (!parent.equals(name)) {
                    parents.add(parent);
                }
            }
        }
        return new Table(name, columns, List.copyOf(key.values()), parents);
    }

    private static List<Table> parentsFirst(Map<String, Table> tables) {
        List<Table> order = new ArrayList<>();
        Set<String> placed = new LinkedHashSet<>();
        while (order.size() < tables.size()) {
            Table next = tables.values().stream()
                    .filter(t -> !placed.contains(t.name()))
                    .filter(t -> t.parents().stream().allMatch(p -> placed.contains(p) || !tables.containsKey(p)))
                    .min(Comparator.comparing(Table::name))
                    .orElseThrow(() -> new ConfigurationException("foreign keys form a cycle among "
                            + tables.keySet().stream().filter(n -> !placed.contains(n)).toList()));
            order.add(next);
            placed.add(next.name());
        }
        return order;
    }

    private static Family family(String table, String column, int type, String typeName) {
        return switch (type) {
            case Types.BOOLEAN, Types.BIT -> Family.BOOLEAN;
            case Types.TINYINT, Types.SMALLINT, Types.INTEGER, Types.BIGINT -> Family.INTEGER;
            case Types.DOUBLE, Types.FLOAT, Types.REAL -> Family.DOUBLE;
            case Types.DECIMAL, Types.NUMERIC -> Family.DECIMAL;
            case Types.CHAR, Types.VARCHAR, Types.LONGVARCHAR, Types.NCHAR, Types.NVARCHAR, Types.LONGNVARCHAR,
                 Types.CLOB, Types.NCLOB -> Family.STRING;
            case Types.BINARY, Types.VARBINARY, Types.LONGVARBINARY, Types.BLOB -> Family.BYTES;
            default -> throw new ConfigurationException("column " + table + "." + column + " has type " + typeName
                    + ", which this tool does not copy");
        };
    }

    static String identifier(String name) {
        if (name == null || !IDENTIFIER.matcher(name).matches()) {
            throw new ConfigurationException("unexpected name in the database catalog: '" + name + "'");
        }
        return name;
    }

    /** A quoted identifier (MySQL sessions run with ANSI_QUOTES, see DatabaseConfig). */
    static String q(String identifier) {
        return "\"" + identifier(identifier) + "\"";
    }
}
