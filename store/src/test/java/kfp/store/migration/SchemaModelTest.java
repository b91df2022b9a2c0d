package kfp.store.migration;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import kfp.store.mybatis.StringColumn;
import kfp.store.testing.OnEachDatabase;
import kfp.store.testing.StoreTest;
import kfp.store.testing.TestDatabase;

/**
 * After migration, each database's catalog (tables, columns with type family and nullability,
 * primary keys, indexes, foreign keys) equals {@code schema-model.txt}: KFP's names plus ours.
 */
@StoreTest
class SchemaModelTest {

    private static final Pattern COLUMN = Pattern.compile("(\\w+) (string|integer|boolean|number)(?:\\((\\d+)\\))? (NULL|NOT NULL)(?: only (\\w+))?");
    private static final Pattern PRIMARY_KEY = Pattern.compile("PRIMARY KEY \\((.*)\\)");
    private static final Pattern INDEX = Pattern.compile("(UNIQUE )?INDEX (\\w+) \\((.*)\\)(?: only (\\w+))?");
    private static final Pattern FOREIGN_KEY = Pattern.compile("FOREIGN KEY (\\w+) \\((.*)\\) REFERENCES (\\w+) \\((.*)\\) CASCADE");

    @OnEachDatabase
    void catalogMatchesTheModel(TestDatabase db) throws Exception {
        List<String> expected = expectedFacts(db.databaseId());
        List<String> actual;
        try (Connection c = db.dataSource().getConnection()) {
            actual = actualFacts(c, db, expectedLengths(db.databaseId()));
        }
        assertThat(actual).containsExactlyInAnyOrderElementsOf(expected);
    }

    /**
     * The sizes the stores check ({@link StringColumn}) are the catalog's: on MySQL every bounded
     * string column has one, of its exact size; on H2 and PostgreSQL each is the column's size or
     * the column is unbounded (KFP's text), and no bounded column lacks one. Generated columns
     * and the trigger-kept run_counts are written by the database, not by a caller (nor is
     * tasks.PodKeyExemption, which only a migration writes).
     */
    @OnEachDatabase
    void everyBoundedStringColumnHasTheSizeTheStoresCheck(TestDatabase db) throws SQLException {
        Map<String, Integer> bounded = new TreeMap<>();
        Map<String, Integer> strings = new TreeMap<>();
        try (Connection c = db.dataSource().getConnection()) {
            DatabaseMetaData md = c.getMetaData();
            for (String table : db.tables(c)) {
                if (table.startsWith("flyway_") || table.equals("run_counts")) {
                    continue;
                }
                try (ResultSet rs = md.getColumns(c.getCatalog(), c.getSchema(), table, "%")) {
                    while (rs.next()) {
                        if (!"string".equals(family(rs.getInt("DATA_TYPE"), rs.getString("TYPE_NAME")))
                                || "YES".equals(rs.getString("IS_GENERATEDCOLUMN"))) {
                            continue;
                        }
                        String name = table + "." + rs.getString("COLUMN_NAME");
                        if (name.equals("tasks.PodKeyExemption")) {
                            continue; // written by migration 44 only, never from a caller's value
                        }
                        int size = (int) Math.min(rs.getLong("COLUMN_SIZE"), Integer.MAX_VALUE);
                        strings.put(name, size);
                        if (size < UNBOUNDED) {
                            bounded.put(name, size);
                        }
                    }
                }
            }
        }
        Map<String, Integer> checked = new TreeMap<>();
        for (StringColumn column : StringColumn.values()) {
            checked.put(column.table() + "." + column.column(), column.size());
        }
        assertThat(checked.keySet()).as("checked columns exist as strings").isSubsetOf(strings.keySet());
        if (db.databaseId().equals("mysql")) {
            assertThat(checked).isEqualTo(bounded);
        } else {
            assertThat(checked).containsAllEntriesOf(bounded);
            checked.forEach((column, size) -> assertThat(strings.get(column).equals(size) || strings.get(column) >= UNBOUNDED)
                    .as(column + ": " + strings.get(column) + " characters in the catalog, " + size + " checked").isTrue());
        }
    }

    /** Longer than any column KFP sizes; text, longtext and H2's unsized varchar report far more. */
    private static final int UNBOUNDED = 1 << 16;

    /** The model as one fact per line, for the given database. */
    private static List<String> expectedFacts(String databaseId) throws Exception {
        List<String> facts = new ArrayList<>();
        String table = null;
        for (String raw : modelLines()) {
            String line = raw.replaceAll("#.*", "").trim();
            if (line.isEmpty()) {
                continue;
            }
            if (!raw.startsWith(" ")) {
                table = line;
                facts.add("table " + table);
                continue;
            }
            Matcher m;
            if ((m = COLUMN.matcher(line)).matches()) {
                if (m.group(5) == null || m.group(5).equals(databaseId)) {
                    facts.add(column(table, m.group(1), m.group(2), m.group(3), m.group(4)));
                }
            } else if ((m = PRIMARY_KEY.matcher(line)).matches()) {
                facts.add(table + " primary key (" + m.group(1) + ")");
            } else if ((m = INDEX.matcher(line)).matches()) {
                if (m.group(4) == null || m.group(4).equals(databaseId)) {
                    facts.add(index(table, m.group(2), m.group(1) != null, normalizeColumns(m.group(3))));
                }
            } else if ((m = FOREIGN_KEY.matcher(line)).matches()) {
                facts.add(foreignKey(table, m.group(1), m.group(2), m.group(3), m.group(4)));
            } else {
                throw new IllegalStateException("unreadable model line: " + raw);
            }
        }
        return facts;
    }

    /** table.column → the length the model checks, for columns that have one. */
    private static Map<String, String> expectedLengths(String databaseId) throws Exception {
        Map<String, String> lengths = new TreeMap<>();
        String table = null;
        for (String raw : modelLines()) {
            String line = raw.replaceAll("#.*", "").trim();
            if (!line.isEmpty() && !raw.startsWith(" ")) {
                table = line;
            }
            Matcher m = COLUMN.matcher(line);
            if (m.matches() && m.group(3) != null) {
                lengths.put(table + "." + m.group(1), m.group(3));
            }
        }
        return lengths;
    }

    private static List<String> actualFacts(Connection c, TestDatabase db, Map<String, String> lengths) throws SQLException {
        DatabaseMetaData md = c.getMetaData();
        String catalog = c.getCatalog();
        String schema = c.getSchema();
        List<String> facts = new ArrayList<>();
        for (String table : db.tables(c)) {
            if (table.startsWith("flyway_")) {
                continue;
            }
            facts.add("table " + table);
            try (ResultSet rs = md.getColumns(catalog, schema, table, "%")) {
                while (rs.next()) {
                    String name = rs.getString("COLUMN_NAME");
                    String length = lengths.containsKey(table + "." + name) ? rs.getString("COLUMN_SIZE") : null;
                    facts.add(column(table, name, family(rs.getInt("DATA_TYPE"), rs.getString("TYPE_NAME")), length,
                            "NO".equals(rs.getString("IS_NULLABLE")) ? "NOT NULL" : "NULL"));
                }
            }
            Map<Short, String> pk = new TreeMap<>();
            try (ResultSet rs = md.getPrimaryKeys(catalog, schema, table)) {
                while (rs.next()) {
                    pk.put(rs.getShort("KEY_SEQ"), rs.getString("COLUMN_NAME"));
                }
            }
            if (!pk.isEmpty()) {
                facts.add(table + " primary key (" + String.join(", ", pk.values()) + ")");
            }
            Map<String, Map<Short, String>> indexColumns = new LinkedHashMap<>();
            Map<String, Boolean> unique = new LinkedHashMap<>();
            try (ResultSet rs = md.getIndexInfo(catalog, schema, table, false, true)) {
                while (rs.next()) {
                    String name = rs.getString("INDEX_NAME");
                    if (name == null || isPrimaryOrGenerated(name, table)) {
                        continue;
                    }
                    indexColumns.computeIfAbsent(name, k -> new TreeMap<>())
                            .put(rs.getShort("ORDINAL_POSITION"), rs.getString("COLUMN_NAME"));
                    unique.put(name, !rs.getBoolean("NON_UNIQUE"));
                }
            }
            indexColumns.forEach((name, cols) -> facts.add(index(table, name, unique.get(name),
                    normalizeColumns(String.join(", ", cols.values())))));
            Map<String, List<String[]>> fks = new LinkedHashMap<>();
            try (ResultSet rs = md.getImportedKeys(catalog, schema, table)) {
                while (rs.next()) {
                    boolean cascade = rs.getShort("DELETE_RULE") == DatabaseMetaData.importedKeyCascade
                            && rs.getShort("UPDATE_RULE") == DatabaseMetaData.importedKeyCascade;
                    fks.computeIfAbsent(rs.getString("FK_NAME") + (cascade ? "" : " (not cascading)"), k -> new ArrayList<>())
                            .add(new String[] {rs.getString("FKCOLUMN_NAME"), rs.getString("PKTABLE_NAME"),
                                    rs.getString("PKCOLUMN_NAME")});
                }
            }
            fks.forEach((name, cols) -> facts.add(foreignKey(table, name,
                    String.join(", ", cols.stream().map(x -> x[0]).toList()), cols.get(0)[1],
                    String.join(", ", cols.stream().map(x -> x[2]).toList()))));
        }
        return facts;
    }

    /** Indexes the database makes by itself: primary keys, and H2's backing indexes for foreign keys. */
    private static boolean isPrimaryOrGenerated(String name, String table) {
        return name.equals("PRIMARY") || name.equals(table + "_pkey") || name.startsWith("PRIMARY_KEY_")
                || name.matches(".*_INDEX_[0-9A-F]+");
    }

    private static String family(int type, String typeName) {
        return switch (type) {
            case Types.VARCHAR, Types.LONGVARCHAR, Types.CHAR, Types.CLOB, Types.NVARCHAR, Types.LONGNVARCHAR,
                    Types.NCLOB -> "string";
            case Types.BIGINT -> "integer";
            case Types.BOOLEAN, Types.BIT -> "boolean";
            case Types.DOUBLE, Types.FLOAT, Types.REAL, Types.NUMERIC, Types.DECIMAL -> "number";
            default -> "unexpected:" + typeName;
        };
    }

    private static String column(String table, String name, String family, String length, String nullability) {
        return "column " + table + "." + name + " " + family + (length != null ? "(" + length + ")" : "") + " " + nullability;
    }

    private static String index(String table, String name, boolean unique, String columns) {
        return table + (unique ? " unique" : "") + " index " + name + " (" + columns + ")";
    }

    private static String foreignKey(String table, String name, String cols, String refTable, String refCols) {
        return table + " foreign key " + name + " (" + cols + ") references " + refTable + " (" + refCols + ")";
    }

    /** Expression columns compare by shape: PostgreSQL reports LOWER("Name") as lower(("Name")::text). */
    private static String normalizeColumns(String columns) {
        if (!columns.toLowerCase().contains("lower(")) {
            return columns;
        }
        return columns.replace("::text", "").replaceAll("[\"()]", "").toLowerCase();
    }

    private static List<String> modelLines() throws Exception {
        try (BufferedReader r = new BufferedReader(new InputStreamReader(
                SchemaModelTest.class.getResourceAsStream("/kfp/store/schema-model.txt"), StandardCharsets.UTF_8))) {
            return r.lines().toList();
        }
    }

}
