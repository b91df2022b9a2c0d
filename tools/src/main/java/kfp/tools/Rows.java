package kfp.tools;

import static kfp.tools.Catalog.q;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import kfp.tools.Catalog.Column;
import kfp.tools.Catalog.Family;
import kfp.tools.Catalog.Table;

/**
 * Reading a table's rows in primary key order, page by page after the last key read, and the
 * vendor-independent Java values and bytes of a row.
 *
 * <p>Values are read by family into Boolean, Long, Double, BigDecimal, String or byte[], never as
 * text, so neither database's formatting of numbers, booleans or strings reaches the copy or the
 * comparison. Key order is the source database's own (its collation): a page continues strictly
 * after the previous one's last key, and the primary key index serves every page.
 */
final class Rows {

    private Rows() {
    }

    /** Pages of a table's rows, each row the values of {@code columns} in that order. */
    static final class Reader {
        private final Connection c;
        private final Table table;
        private final List<Column> columns;
        private final int[] keyPositions;
        private final int batch;
        private final String first;
        private final String after;

        Reader(Connection c, Table table, List<Column> columns, int batch) {
            this.c = c;
            this.table = table;
            this.columns = columns;
            this.batch = batch;
            this.keyPositions = table.key().stream().mapToInt(k -> indexOf(columns, k)).toArray();
            String select = "SELECT " + columns.stream().map(col -> q(col.name())).collect(Collectors.joining(", "))
                    + " FROM " + q(table.name());
            String order = " ORDER BY " + table.key().stream().map(Catalog::q).collect(Collectors.joining(", "))
                    + " LIMIT " + batch;
            this.first = select + order;
            this.after = select + " WHERE " + afterKey(table.key()) + order;
        }

        /** The page after {@code lastKey} (null: the first page); empty at the end. */
        List<Object[]> next(Object[] lastKey) throws SQLException {
            try (PreparedStatement ps = c.prepareStatement(lastKey == null ? first : after)) {
                ps.setFetchSize(batch);
                if (lastKey != null) {
                    bindAfterKey(ps, table, lastKey);
                }
                List<Object[]> rows = new ArrayList<>(batch);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        Object[] row = new Object[columns.size()];
                        for (int i = 0; i < row.length; i++) {
                            row[i] = read(rs, i + 1, columns.get(i));
                        }
                        rows.add(row);
                    }
                }
                return rows;
            }
        }

        Object[] keyOf(Object[] row) {
            Object[] key = new Object[keyPositions.length];
            for (int i = 0; i < key.length; i++) {
                key[i] = row[keyPositions[i]];
            }
            return key;
        }
    }

    static int indexOf(List<Column> columns, String name) {
        for (int i = 0; i < columns.size(); i++) {
            if (columns.get(i).name().equals(name)) {
                return i;
            }
        }
        throw new IllegalArgumentException(name + " is not among " + columns);
    }

    /**
     * Rows strictly after a key, in key order: {@code k1 >= ? AND (k1 > ? OR (k1 = ? AND (k2 > ? OR …)))};
     * the leading {@code k1 >= ?} is a range every vendor's planner takes on the primary key.
     */
    static String afterKey(List<String> key) {
        String tail = q(key.get(key.size() - 1)) + " > ?";
        for (int i = key.size() - 2; i >= 0; i--) {
            tail = q(key.get(i)) + " > ? OR (" + q(key.get(i)) + " = ? AND (" + tail + "))";
        }
        return q(key.get(0)) + " >= ? AND (" + tail + ")";
    }

    /** Binds {@link #afterKey}'s parameters for {@code lastKey}. */
    static void bindAfterKey(PreparedStatement ps, Table table, Object[] lastKey) throws SQLException {
        int p = 1;
        write(ps, p++, table.column(table.key().get(0)), lastKey[0]);
        for (int i = 0; i < lastKey.length; i++) {
            Column col = table.column(table.key().get(i));
            write(ps, p++, col, lastKey[i]);
            if (i < lastKey.length - 1) {
                write(ps, p++, col, lastKey[i]);
            }
        }
    }

    /** {@code k1 = ? AND k2 = ? …}: the row with a key. */
    static String keyEquals(List<String> key) {
        return key.stream().map(k -> q(k) + " = ?").collect(Collectors.joining(" AND "));
    }

    static Object read(ResultSet rs, int i, Column col) throws SQLException {
        Object v = switch (col.family()) {
            case BOOLEAN -> rs.getBoolean(i);
            case INTEGER -> rs.getLong(i);
            case DOUBLE -> rs.getDouble(i);
            case DECIMAL -> rs.getBigDecimal(i);
            case STRING -> rs.getString(i);
            case BYTES -> rs.getBytes(i);
        };
        return rs.wasNull() ? null : v;
    }

    /** Binds a value read from any database to a column of this one. */
    static void write(PreparedStatement ps, int i, Column col, Object v) throws SQLException {
        if (v == null) {
            ps.setNull(i, col.jdbcType());
            return;
        }
        Family f = col.family();
        if (f == Family.BOOLEAN && v instanceof Boolean b) {
            ps.setBoolean(i, b);
        } else if (f == Family.INTEGER && v instanceof Long n) {
            ps.setLong(i, n);
        } else if (f == Family.DOUBLE && (v instanceof Double || v instanceof BigDecimal)) {
            ps.setDouble(i, ((Number) v).doubleValue());
        } else if (f == Family.DECIMAL && v instanceof BigDecimal d) {
            ps.setBigDecimal(i, d);
        } else if (f == Family.DECIMAL && v instanceof Double d) {
            ps.setBigDecimal(i, BigDecimal.valueOf(d));
        } else if (f == Family.STRING && v instanceof String s) {
            ps.setString(i, s);
        } else if (f == Family.BYTES && v instanceof byte[] b) {
            ps.setBytes(i, b);
        } else {
            throw new SQLException("column " + col.name() + " (" + col.typeName() + ") cannot hold a "
                    + v.getClass().getSimpleName() + " value from the other database");
        }
    }

    /**
     * The canonical bytes of a value: a tag, then a fixed-size or length-prefixed body. Numbers are
     * IEEE 754 doubles (a DECIMAL reads as the double it means, as a double column holds it); strings
     * are UTF-8.
     */
    static void canonical(DataOutputStream out, Object v) {
        try {
            if (v == null) {
                out.writeByte('N');
            } else if (v instanceof Boolean b) {
                out.writeByte('B');
                out.writeByte(b ? 1 : 0);
            } else if (v instanceof Long n) {
                out.writeByte('L');
                out.writeLong(n);
            } else if (v instanceof Number n) {
                out.writeByte('D');
                out.writeLong(Double.doubleToLongBits(n.doubleValue()));
            } else if (v instanceof String s) {
                byte[] b = s.getBytes(StandardCharsets.UTF_8);
                out.writeByte('S');
                out.writeInt(b.length);
                out.write(b);
            } else if (v instanceof byte[] b) {
                out.writeByte('X');
                out.writeInt(b.length);
                out.write(b);
            } else {
                throw new IllegalArgumentException("no canonical form for " + v.getClass());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static byte[] canonical(Object... values) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(bytes);
        for (Object v : values) {
            canonical(out, v);
        }
        return bytes.toByteArray();
    }

    /** Roughly how many bytes a row carries (for MB/s): strings as UTF-16 units, numbers as 8. */
    static long size(Object[] row) {
        long n = 0;
        for (Object v : row) {
            n += v instanceof String s ? s.length() : v instanceof byte[] b ? b.length : 8;
        }
        return n;
    }

    /** A key for messages: {@code UUID=abc} or {@code RunUUID=r1, NodeID=n, Name=x}. */
    static String describeKey(List<String> key, Object[] values) {
        List<String> parts = new ArrayList<>();
        for (int i = 0; i < key.size(); i++) {
            String v = String.valueOf(values[i]);
            parts.add(key.get(i) + "=" + (v.length() > 80 ? v.substring(0, 80) + "…" : v));
        }
        return String.join(", ", parts);
    }
}
