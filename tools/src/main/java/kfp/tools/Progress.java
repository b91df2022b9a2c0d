package kfp.tools;

import java.io.PrintStream;
import java.util.Locale;

/** One table's progress: a line every few seconds (rows, rows/s, MB/s, time left), and a last one. */
final class Progress {

    private static final long EVERY_NANOS = 5_000_000_000L;

    private final PrintStream out;
    private final String verb;
    private final String table;
    private final long total;
    private final long start = System.nanoTime();
    private long lastLine = start;
    private final long initial;
    private long rows;
    private long bytes;

    Progress(PrintStream out, String verb, String table, long total, long alreadyThere) {
        this.out = out;
        this.verb = verb;
        this.table = table;
        this.total = total;
        this.rows = alreadyThere;
        this.initial = alreadyThere;
    }

    void add(long rowCount, long byteCount) {
        rows += rowCount;
        bytes += byteCount;
        long now = System.nanoTime();
        if (now - lastLine >= EVERY_NANOS) {
            lastLine = now;
            double seconds = (now - start) / 1e9;
            double rate = rowsThisRun() / seconds;
            long left = rate > 0 ? (long) (Math.max(0, total - rows) / rate) : -1;
            out.println(total < 0
                    ? String.format(Locale.ROOT, "%s %s: %,d rows, %,.0f rows/s, %.1f MB/s",
                            verb, table, rows, rate, bytes / 1e6 / seconds)
                    : String.format(Locale.ROOT, "%s %s: %,d of %,d rows, %,.0f rows/s, %.1f MB/s, about %s left",
                            verb, table, rows, total, rate, bytes / 1e6 / seconds, left < 0 ? "?" : left + " s"));
        }
    }

    private long rowsThisRun() {
        return rows - initial;
    }

    /** The table's summary line; returns the seconds it took. */
    double done() {
        double seconds = (System.nanoTime() - start) / 1e9;
        out.println(String.format(Locale.ROOT, "%s %s: %,d rows in %.1f s (%,.0f rows/s, %.1f MB/s)",
                verb, table, rows, seconds, seconds > 0 ? rowsThisRun() / seconds : 0.0,
                seconds > 0 ? bytes / 1e6 / seconds : 0.0));
        return seconds;
    }

    long bytes() {
        return bytes;
    }
}
