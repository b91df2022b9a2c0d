package kfp.store.testing;

import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;
import org.junit.platform.launcher.TestPlan;

/**
 * Prints, at the end of a test run, how many database tests ran on each database, e.g.
 * {@code Database tests: h2 24 passed, 0 failed, 0 skipped | mysql …}. CI reads these lines.
 */
public final class StoreTestSummary implements TestExecutionListener {

    private static final Pattern DATABASE = Pattern.compile("^\\[(h2|mysql|postgresql)] ");

    private final Map<String, int[]> counts = new TreeMap<>();

    @Override
    public void executionFinished(TestIdentifier id, TestExecutionResult result) {
        if (!id.isTest()) {
            return;
        }
        Matcher m = DATABASE.matcher(id.getDisplayName());
        if (m.find()) {
            int slot = switch (result.getStatus()) {
                case SUCCESSFUL -> 0;
                case FAILED -> 1;
                case ABORTED -> 2;
            };
            counts.computeIfAbsent(m.group(1), k -> new int[3])[slot]++;
        }
    }

    @Override
    public void executionSkipped(TestIdentifier id, String reason) {
        Matcher m = DATABASE.matcher(id.getDisplayName());
        if (id.isTest() && m.find()) {
            counts.computeIfAbsent(m.group(1), k -> new int[3])[2]++;
        }
    }

    @Override
    public void testPlanExecutionFinished(TestPlan plan) {
        if (counts.isEmpty()) {
            return;
        }
        StringBuilder line = new StringBuilder("Database tests:");
        String sep = " ";
        for (Map.Entry<String, int[]> e : counts.entrySet()) {
            int[] c = e.getValue();
            line.append(sep).append(e.getKey()).append(' ').append(c[0]).append(" passed, ").append(c[1])
                    .append(" failed, ").append(c[2]).append(" skipped");
            sep = " | ";
        }
        System.out.println(line);
        counts.clear();
    }
}
