package kfp.tools;

import static kfp.tools.Catalog.q;

import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import kfp.store.Schema;
import kfp.store.testing.TestDatabase;
import kfp.tools.Catalog.Column;
import kfp.tools.Catalog.Table;

/**
 * Fills every table of a migrated database, whatever its columns (read from the catalog): long
 * payloads, 4-byte unicode, quotes and control characters, empty strings, NULLs, and the edge
 * values of each type, within the smallest size any of the three databases gives each column.
 */
final class SeedData {

    static final int ROWS = 8;
    static final String UNICODE = "é漢字\uD83D\uDE00\uD835\uDD18"; // 2-, 3- and 4-byte UTF-8
    static final String AWKWARD = "'\"\\\n\t%_ ";
    static final long[] LONGS = {Long.MIN_VALUE, Long.MAX_VALUE, 0, -1, 1_700_000_000L};
    static final double[] DOUBLES = {Double.MAX_VALUE, -Double.MAX_VALUE, 1.0 / 3, Double.MIN_NORMAL, 0.1, Double.MIN_VALUE, 0};

    private SeedData() {
    }

    /**
     * Each column's size limit in characters: the least of the catalogs of these migrated databases
     * and of what the stores accept (a pod name, say, is bounded by the pod key generated from it).
     */
    static Map<String, Long> limits(TestDatabase... databases) throws SQLException {
        Map<String, Long> limits = new HashMap<>();
        for (kfp.store.mybatis.StringColumn column : kfp.store.mybatis.StringColumn.values()) {
            limits.merge(column.table() + "." + column.column(), (long) column.size(), Math::min);
        }
        for (TestDatabase db : databases) {
            try (Connection c = db.dataSource().getConnection()) {
                DatabaseMetaData md = c.getMetaData();
                try (ResultSet rs = md.getColumns(c.getCatalog(), c.getSchema(), "%", "%")) {
                    while (rs.next()) {
                        long size = rs.getLong("COLUMN_SIZE");
                        if (size <= 0) {
                            size = Integer.MAX_VALUE;
                        }
                        limits.merge(rs.getString("TABLE_NAME") + "." + rs.getString("COLUMN_NAME"), size, Math::min);
                    }
                }
            }
        }
        return limits;
    }

    static void seed(TestDatabase db, Map<String, Long> limits) throws SQLException {
        try (Connection c = db.dataSource().getConnection()) {
            Map<String, List<Map<String, Object>>> written = new HashMap<>();
            for (Table t : Catalog.dataTables(c, EnumSet.allOf(Schema.class))) {
                Map<String, String[]> foreign = foreignKeys(c, t.name());
                java.util.Set<String> indexed = indexed(c, t.name());
                int rows = t.name().equals("db_statuses") ? 2 : ROWS;
                List<Column> columns = t.stored();
                String insert = "INSERT INTO " + q(t.name()) + " (" + columns.stream().map(col -> q(col.name()))
                        .collect(Collectors.joining(", ")) + ") VALUES ("
                        + columns.stream().map(col -> "?").collect(Collectors.joining(", ")) + ")";
                List<Map<String, Object>> values = new ArrayList<>();
                try (PreparedStatement ps = c.prepareStatement(insert)) {
                    for (int i = 0; i < rows; i++) {
                        Map<String, Object> row = new HashMap<>();
                        for (Column col : columns) {
                            String[] ref = foreign.get(col.name());
                            Object v = ref != null
                                    ? written.get(ref[0]).get(i % written.get(ref[0]).size()).get(ref[1])
                                    : value(t, col, i, indexed.contains(col.name()) || indexed.contains(col.name() + "Lower") ? Math.min(255L,
                                            limits.getOrDefault(t.name() + "." + col.name(), 255L))
                                            : limits.getOrDefault(t.name() + "." + col.name(), 255L),
                                            nullable(c, t.name(), col.name()));
                            row.put(col.name(), v);
                        }
                        for (int p = 0; p < columns.size(); p++) {
                            Rows.write(ps, p + 1, columns.get(p), row.get(columns.get(p).name()));
                        }
                        ps.executeUpdate();
                        values.add(row);
                    }
                }
                written.put(t.name(), values);
            }
        }
    }

    private static Object value(Table t, Column col, int i, long limit, boolean nullable) {
        boolean key = t.key().contains(col.name());
        if (!key && nullable && i % 4 == 2) {
            return null;
        }
        return switch (col.family()) {
            case BOOLEAN -> i % 2 == 0;
            case INTEGER -> key || col.autoIncrement() ? (long) i * 7 + 1 : LONGS[i % LONGS.length];
            case DOUBLE, DECIMAL -> DOUBLES[i % DOUBLES.length];
            case BYTES -> new byte[] {0, (byte) 0xff, (byte) i};
            case STRING -> string(t, col, i, key, limit);
        };
    }

    private static String string(Table t, Column col, int i, boolean key, long limit) {
        String base = col.name().substring(0, Math.min(3, col.name().length())) + i;
        if (!key && i == 1 && !col.name().contains("Name") && !col.name().contains("Key")) {
            return "";
        }
        // H2 counts UTF-16 units, MySQL text counts bytes: stay within a quarter of the limit
        long room = limit >= 1_000_000 ? 100_000 : limit > 1000 ? limit / 4 : limit / 2;
        String s = base + (i % 3 == 0 ? UNICODE : i % 3 == 1 ? AWKWARD : "");
        if (i == 0 && room > 1000) { // one long payload per text column
            StringBuilder b = new StringBuilder(s);
            while (b.length() + UNICODE.length() + 10 < room) {
                b.append(UNICODE).append(b.length() % 97).append(' ');
            }
            s = b.toString();
        }
        return s.length() <= room ? s : base;
    }

    /** Columns in an index (or whose generated lower-case copy is): kept short, index entries have a size limit. */
    private static java.util.Set<String> indexed(Connection c, String table) throws SQLException {
        java.util.Set<String> columns = new java.util.HashSet<>();
        try (ResultSet rs = c.getMetaData().getIndexInfo(c.getCatalog(), c.getSchema(), table, false, true)) {
            while (rs.next()) {
                if (rs.getString("COLUMN_NAME") != null) {
                    columns.add(rs.getString("COLUMN_NAME"));
                }
            }
        }
        return columns;
    }

    /** Column → {parent table, parent column}. */
    private static Map<String, String[]> foreignKeys(Connection c, String table) throws SQLException {
        Map<String, String[]> refs = new HashMap<>();
        try (ResultSet rs = c.getMetaData().getImportedKeys(c.getCatalog(), c.getSchema(), table)) {
            while (rs.next()) {
                refs.put(rs.getString("FKCOLUMN_NAME"), new String[] {rs.getString("PKTABLE_NAME"), rs.getString("PKCOLUMN_NAME")});
            }
        }
        return refs;
    }

    private static boolean nullable(Connection c, String table, String column) throws SQLException {
        try (ResultSet rs = c.getMetaData().getColumns(c.getCatalog(), c.getSchema(), table, column)) {
            return rs.next() && "YES".equals(rs.getString("IS_NULLABLE"));
        }
    }
}
