package kfp.tools;

import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import javax.sql.DataSource;
import kfp.store.Schema;
import kfp.tools.Catalog.Column;
import kfp.tools.Catalog.Table;

/**
 * Compares every table of two databases: row count and a checksum of the rows, computed here in
 * Java over each value's canonical bytes ({@link Rows#canonical}), so that neither database's
 * formatting of text or numbers, nor its collation, can make different rows look equal.
 *
 * <p>The two databases may order keys differently (collations), so the checksum does not depend
 * on the order rows are read in: each row's SHA-256 (over its key's and values' canonical bytes)
 * is added, modulo 2^256, into one of 4096 buckets chosen by the key's SHA-256; the table's
 * checksum is the SHA-256 of the buckets. When a table differs, the first differing bucket is read
 * again on both sides and its rows compared in canonical key order (unsigned bytes), which names
 * the first differing key and its columns. Memory stays bounded: one page of rows, the buckets,
 * and one bucket's key digests.
 */
final class Verifier {

    private static final int BUCKETS = 4096;

    private final DataSource source;
    private final DataSource target;
    private final Set<Schema> schemas;
    private final int batch;
    private final PrintStream out;

    Verifier(DataSource source, DataSource target, Set<Schema> schemas, int batch, PrintStream out) {
        this.source = source;
        this.target = target;
        this.schemas = schemas;
        this.batch = batch;
        this.out = out;
    }

    /** One line per difference (empty: the databases hold the same rows). */
    List<String> verify() throws SQLException {
        List<String> differences = new ArrayList<>();
        try (Connection src = source.getConnection(); Connection tgt = target.getConnection()) {
            Snapshot.begin(src);
            Snapshot.begin(tgt);
            Map<String, Table> sourceTables = byName(Catalog.dataTables(src, schemas));
            Map<String, Table> targetTables = byName(Catalog.dataTables(tgt, schemas));
            Set<String> names = new TreeSet<>(sourceTables.keySet());
            names.addAll(targetTables.keySet());
            for (String name : names) {
                Table s = sourceTables.get(name);
                Table t = targetTables.get(name);
                String difference = s == null || t == null ? missingTable(src, tgt, name, s == null)
                        : compare(src, tgt, s, t);
                if (difference != null) {
                    out.println("verify " + name + ": DIFFERS: " + difference);
                    differences.add("table " + name + ": " + difference);
                }
            }
            src.commit();
            tgt.commit();
        }
        out.println(differences.isEmpty() ? "verify: every table is equal"
                : "verify: " + differences.size() + " table(s) differ");
        return differences;
    }

    private static String missingTable(Connection src, Connection tgt, String name, boolean onSource) throws SQLException {
        long rows = Copier.count(onSource ? tgt : src, name);
        return rows == 0 ? null : rows + " rows on the " + (onSource ? "target" : "source") + ", no such table on the "
                + (onSource ? "source" : "target");
    }

    private String compare(Connection src, Connection tgt, Table s, Table t) throws SQLException {
        if (!s.key().equals(t.key())) {
            return "primary key " + s.key() + " on the source, " + t.key() + " on the target";
        }
        // stored columns both sides have, by name; a column only one side stores is left out (said so)
        Set<String> common = new TreeSet<>();
        for (Column c : s.stored()) {
            Column other = t.column(c.name());
            if (other != null && !other.generated()) {
                common.add(c.name());
            }
        }
        List<String> only = new ArrayList<>();
        s.stored().stream().filter(c -> !common.contains(c.name())).forEach(c -> only.add(c.name() + " (source)"));
        t.stored().stream().filter(c -> !common.contains(c.name())).forEach(c -> only.add(c.name() + " (target)"));
        Summary a = summarize(src, s, common, -1, null);
        Summary b = summarize(tgt, t, common, -1, null);
        String note = only.isEmpty() ? "" : ", without " + only;
        if (a.equals(b)) {
            out.println(String.format(Locale.ROOT, "verify %s: %,d rows, checksum %s, equal%s", s.name(), a.rows,
                    a.checksum(), note));
            return null;
        }
        int bucket = a.firstDifferentBucket(b);
        TreeMap<byte[], Row> left = new TreeMap<>(Arrays::compareUnsigned);
        TreeMap<byte[], Row> right = new TreeMap<>(Arrays::compareUnsigned);
        summarize(src, s, common, bucket, left);
        summarize(tgt, t, common, bucket, right);
        String counts = a.rows == b.rows ? a.rows + " rows on both sides"
                : a.rows + " rows on the source, " + b.rows + " on the target";
        TreeSet<byte[]> keys = new TreeSet<>(Arrays::compareUnsigned);
        keys.addAll(left.keySet());
        keys.addAll(right.keySet());
        List<String> columns = new ArrayList<>(common);
        for (byte[] key : keys) {
            Row l = left.get(key);
            Row r = right.get(key);
            if (l == null) {
                return counts + "; first differing key " + r.describe(t) + ": on the target, not on the source";
            }
            if (r == null) {
                return counts + "; first differing key " + l.describe(s) + ": on the source, not on the target";
            }
            List<String> differing = new ArrayList<>();
            for (int i = 0; i < columns.size(); i++) {
                if (!Arrays.equals(l.columnDigests[i], r.columnDigests[i])) {
                    differing.add(columns.get(i));
                }
            }
            if (!differing.isEmpty()) {
                return counts + "; first differing key " + l.describe(s) + ": column " + String.join(", ", differing);
            }
        }
        return counts + "; checksums differ"; // not reached: a differing bucket holds a differing row
    }

    /** One row of the bucket being compared: its key, and a digest per compared column. */
    private record Row(Object[] key, List<String> keyNames, byte[][] columnDigests) {
        String describe(Table table) {
            return Rows.describeKey(keyNames, key);
        }
    }

    /**
     * Reads a table in its key order. With {@code bucket} < 0: the count and bucket sums. Otherwise:
     * the rows of that bucket into {@code rows}, by canonical key bytes.
     */
    private Summary summarize(Connection c, Table table, Set<String> columnNames, int bucket, Map<byte[], Row> rows)
            throws SQLException {
        List<Column> columns = columnNames.stream().map(table::column).toList();
        Rows.Reader reader = new Rows.Reader(c, table, columns, batch);
        MessageDigest sha = sha256();
        Summary summary = new Summary();
        Progress progress = bucket < 0 ? new Progress(out, "verify", table.name(), -1, 0) : null;
        Object[] after = null;
        while (true) {
            List<Object[]> page = reader.next(after);
            if (page.isEmpty()) {
                break;
            }
            long bytes = 0;
            for (Object[] row : page) {
                Object[] key = reader.keyOf(row);
                byte[] keyBytes = Rows.canonical(key);
                byte[] keyDigest = sha.digest(keyBytes);
                int b = ((keyDigest[0] & 0xff) << 4) | ((keyDigest[1] & 0xff) >>> 4);
                if (bucket < 0) {
                    sha.update(keyDigest);
                    sha.update(Rows.canonical(row));
                    summary.add(b, sha.digest());
                    bytes += Rows.size(row);
                } else if (b == bucket) {
                    byte[][] digests = new byte[row.length][];
                    for (int i = 0; i < row.length; i++) {
                        digests[i] = sha.digest(Rows.canonical(row[i]));
                    }
                    rows.put(keyBytes, new Row(key, table.key(), digests));
                }
            }
            if (progress != null) {
                progress.add(page.size(), bytes);
            }
            after = reader.keyOf(page.get(page.size() - 1));
        }
        return summary;
    }

    /** Row count and, per bucket, the count and the sum modulo 2^256 of the rows' digests. */
    private static final class Summary {
        long rows;
        final long[] counts = new long[BUCKETS];
        final long[] sums = new long[BUCKETS * 4];

        void add(int bucket, byte[] digest) {
            rows++;
            counts[bucket]++;
            ByteBuffer d = ByteBuffer.wrap(digest);
            long carry = 0;
            for (int i = 3; i >= 0; i--) { // least significant word last in the digest
                long x = d.getLong(i * 8);
                int at = bucket * 4 + i;
                long sum = sums[at] + x;
                long next = Long.compareUnsigned(sum, sums[at]) < 0 ? 1 : 0;
                long withCarry = sum + carry;
                if (withCarry == 0 && carry == 1) {
                    next = 1;
                }
                sums[at] = withCarry;
                carry = next;
            }
        }

        int firstDifferentBucket(Summary other) {
            for (int b = 0; b < BUCKETS; b++) {
                if (counts[b] != other.counts[b] || !Arrays.equals(sums, b * 4, b * 4 + 4, other.sums, b * 4, b * 4 + 4)) {
                    return b;
                }
            }
            return -1;
        }

        String checksum() {
            MessageDigest sha = sha256();
            ByteBuffer buf = ByteBuffer.allocate(40);
            for (int b = 0; b < BUCKETS; b++) {
                buf.clear();
                buf.putLong(counts[b]);
                for (int i = 0; i < 4; i++) {
                    buf.putLong(sums[b * 4 + i]);
                }
                sha.update(buf.array());
            }
            return HexFormat.of().formatHex(sha.digest()).substring(0, 16);
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Summary s && rows == s.rows && Arrays.equals(counts, s.counts) && Arrays.equals(sums, s.sums);
        }

        @Override
        public int hashCode() {
            return Long.hashCode(rows);
        }
    }

    private static Map<String, Table> byName(List<Table> tables) {
        Map<String, Table> map = new LinkedHashMap<>();
        tables.forEach(t -> map.put(t.name(), t));
        return map;
    }

    static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
