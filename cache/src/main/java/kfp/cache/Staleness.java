package kfp.cache;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * KFP's cache staleness values ({@code P7D}, {@code P1DT30H4S}, {@code PT90M}) in whole seconds, as its
 * cache server reads them with github.com/peterhellberg/duration v0.0.2: -1 ("no limit") when the
 * text does not parse; fractions allowed in every field; a leading {@code -} negates; years, months and
 * weeks are 8765.81, 730.4841667 and 168 hours. Each field is printed with six decimals and re-read as a
 * Go duration in nanoseconds, so its rounding and its overflow (a field that overflows counts as 0)
 * are reproduced too.
 */
final class Staleness {

    private static final Pattern ISO_DURATION = Pattern.compile("(-)?P(?:([0-9.]+)Y)?(?:([0-9.]+)M)?(?:([0-9.]+)W)?"
            + "(?:([0-9.]+)D)?(?:T(?:([0-9.]+)H)?(?:([0-9.]+)M)?(?:([0-9.]+?)S)?)?");

    /** Hours per field (years, months, weeks, days, hours), then minutes and seconds in their own unit. */
    private static final double[] HOURS = {8765.81, 730.4841667, 168.0, 24.0, 1.0};
    private static final long HOUR = 3_600_000_000_000L;
    private static final long MINUTE = 60_000_000_000L;
    private static final long SECOND = 1_000_000_000L;

    private Staleness() {
    }

    /** Seconds, or -1 when {@code text} is not a duration. */
    static long toSeconds(String text) {
        if (text == null || text.isEmpty() || text.equals("P") || text.equals("PT") || text.endsWith("T")) {
            return -1;
        }
        Matcher m = ISO_DURATION.matcher(text);
        if (!m.matches()) {
            return -1;
        }
        boolean negative = m.group(1) != null;
        long nanos = 0; // Go's time.Duration: int64 nanoseconds, wrapping on overflow
        for (int field = 0; field < 7; field++) {
            String value = m.group(field + 2);
            if (value == null || value.isEmpty()) {
                continue;
            }
            double f;
            try {
                f = Double.parseDouble(value);
            } catch (NumberFormatException e) {
                continue; // "1.2.3" or "." : Go's ParseFloat fails and the field is skipped
            }
            double amount = field < 5 ? f * HOURS[field] : f;
            long unit = field < 5 ? HOUR : field == 5 ? MINUTE : SECOND;
            nanos += goParseDuration(amount, unit, negative);
        }
        return nanos / SECOND;
    }

    /** {@code time.ParseDuration(fmt.Sprintf("%f<unit>", amount))}: 0 when it overflows. */
    private static long goParseDuration(double amount, long unit, boolean negative) {
        String printed = new BigDecimal(amount).setScale(6, RoundingMode.HALF_EVEN).toPlainString(); // Go's %f
        int dot = printed.indexOf('.');
        BigDecimal whole = new BigDecimal(printed.substring(0, dot));
        long fraction = Long.parseLong(printed.substring(dot + 1));
        BigDecimal limit = BigDecimal.valueOf(Long.MAX_VALUE).add(BigDecimal.ONE); // 1<<63
        BigDecimal v = whole.multiply(BigDecimal.valueOf(unit));
        if (whole.compareTo(limit.divide(BigDecimal.valueOf(unit), 0, RoundingMode.DOWN)) > 0) {
            return 0;
        }
        long frac = (long) ((double) fraction * ((double) unit / 1e6)); // Go: float64 arithmetic, truncated
        v = v.add(BigDecimal.valueOf(frac));
        if (v.compareTo(negative ? limit : limit.subtract(BigDecimal.ONE)) > 0) {
            return 0;
        }
        long nanos = v.longValue();
        return negative ? -nanos : nanos;
    }
}
