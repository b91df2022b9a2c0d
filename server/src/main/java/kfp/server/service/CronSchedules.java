package kfp.server.service;

import java.util.List;
import java.util.Locale;
import java.util.Set;
import kfp.server.errors.ApiErrors;

/**
 * Checks a recurring run's cron expression as KFP's ScheduledWorkflow controller will read it
 * (robfig/cron 1.2's {@code cron.Parse}): seconds first, then minutes, hours, day of month, month,
 * and an optional day of week, so 5 or 6 fields; each field a comma list of {@code *} or {@code ?},
 * a value or a range {@code a-b}, each with an optional {@code /step}; month and weekday names
 * ({@code jan}, {@code mon}) in any case. Or a descriptor: {@code @yearly}, {@code @annually},
 * {@code @monthly}, {@code @weekly}, {@code @daily}, {@code @midnight}, {@code @hourly},
 * {@code @every <Go duration>}. Anything else is InvalidArgument
 * (docs/kfp-compatibility.md#cron-schedules).
 */
final class CronSchedules {

    private record Field(String name, int min, int max, List<String> names) {
    }

    private static final List<String> MONTHS = List.of("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep",
            "oct", "nov", "dec");
    private static final List<String> DAYS = List.of("sun", "mon", "tue", "wed", "thu", "fri", "sat");
    private static final List<Field> FIELDS = List.of(
            new Field("second", 0, 59, List.of()),
            new Field("minute", 0, 59, List.of()),
            new Field("hour", 0, 23, List.of()),
            new Field("day of month", 1, 31, List.of()),
            new Field("month", 1, 12, MONTHS),
            new Field("day of week", 0, 6, DAYS));
    private static final Set<String> DESCRIPTORS = Set.of("@yearly", "@annually", "@monthly", "@weekly", "@daily",
            "@midnight", "@hourly");
    /** Go's time.ParseDuration: a sequence of decimal numbers, each with a unit. */
    private static final String GO_DURATION = "[-+]?(?:0|(?:(?:\\d+(?:\\.\\d*)?|\\.\\d+)(?:ns|us|µs|μs|ms|s|m|h))+)";

    private CronSchedules() {
    }

    static void check(String spec) {
        String s = spec.trim();
        if (s.startsWith("@")) {
            if (DESCRIPTORS.contains(s)) {
                return;
            }
            if (s.startsWith("@every ") && s.substring("@every ".length()).matches(GO_DURATION)) {
                return;
            }
            throw invalid(spec, "an unknown descriptor or an @every without a duration such as 1h30m");
        }
        String[] fields = s.isEmpty() ? new String[0] : s.split("\\s+");
        if (fields.length < 5 || fields.length > 6) {
            throw invalid(spec, "expected 5 or 6 fields (seconds first), found " + fields.length);
        }
        for (int i = 0; i < fields.length; i++) {
            for (String part : fields[i].split(",", -1)) {
                checkRange(spec, part, FIELDS.get(i));
            }
        }
    }

    private static void checkRange(String spec, String part, Field f) {
        String[] rangeAndStep = part.split("/", -1);
        if (rangeAndStep.length > 2) {
            throw invalid(spec, "too many slashes in the " + f.name() + " field: " + part);
        }
        String range = rangeAndStep[0];
        if (!range.equals("*") && !range.equals("?")) {
            String[] bounds = range.split("-", -1);
            if (bounds.length > 2) {
                throw invalid(spec, "too many hyphens in the " + f.name() + " field: " + part);
            }
            int start = value(spec, bounds[0], f);
            int end = bounds.length == 2 ? value(spec, bounds[1], f) : start;
            if (start < f.min() || end > f.max()) {
                throw invalid(spec, "the " + f.name() + " field is " + f.min() + " to " + f.max() + ": " + part);
            }
            if (start > end) {
                throw invalid(spec, "the " + f.name() + " range starts after it ends: " + part);
            }
        }
        if (rangeAndStep.length == 2 && number(spec, rangeAndStep[1], f) <= 0) {
            throw invalid(spec, "a step must be a positive number: " + part);
        }
    }

    private static int value(String spec, String text, Field f) {
        int named = f.names().indexOf(text.toLowerCase(Locale.ROOT));
        if (named >= 0) {
            return named + f.min();
        }
        return number(spec, text, f);
    }

    private static int number(String spec, String text, Field f) {
        if (!text.matches("\\d{1,9}")) {
            throw invalid(spec, "not a number in the " + f.name() + " field: '" + text + "'");
        }
        return Integer.parseInt(text);
    }

    private static RuntimeException invalid(String spec, String why) {
        return ApiErrors.invalidArgument("Invalid cron schedule '" + spec + "': " + why);
    }
}
