package kfp.cache;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Staleness strings read as KFP's cache server reads them (peterhellberg/duration v0.0.2, whole seconds). */
class StalenessTest {

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', value = {
        "P7D|604800", "P1DT30H4S|194404", "PT90M|5400", "PT0S|0", "P0D|0", "PT1.5S|1", "PT0.5H|1800",
        "P1W|604800", "P1M|2629743", "P1Y|31556916", "P1Y2M3W4DT5H6M7S|38994768", "P0.000001Y|31", "P1.23456789M|3246596", "-P1D|-86400",
        "P1.5D|129600", "P99999999999Y|0",
        // not durations: -1, no limit
        "''|-1", "P|-1", "PT|-1", "P1DT|-1", "1D|-1", "P1H|-1", "PT1D|-1", "p1d|-1", "'P1D '|-1", "PT1,5S|-1",
        // fields Go's ParseFloat refuses are skipped
        "P.D|0", "P1.2.3DT1S|1",
    })
    void toSeconds(String text, long seconds) {
        assertThat(Staleness.toSeconds(text)).isEqualTo(seconds);
    }
}
