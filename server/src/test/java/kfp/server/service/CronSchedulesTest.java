package kfp.server.service;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Cron expressions as KFP's ScheduledWorkflow controller parses them: seconds first, weekday optional. */
class CronSchedulesTest {

    @ParameterizedTest
    @ValueSource(strings = {"0 0 * * * *", "0 0 0 * * ?", "*/5 * * * *", "0 30 9 * * MON-FRI", "0 0 12 1 jan *",
        "0 0,30 8-18/2 * * *", "5/15 * * * * *", "0 0 0 1-31 1-12 0-6", "  0 0 * * * *  ", "@daily", "@midnight",
        "@hourly", "@weekly", "@monthly", "@yearly", "@annually", "@every 1h30m", "@every 90s", "@every 1.5h"})
    void acceptsWhatKfpAccepts(String cron) {
        assertThatCode(() -> CronSchedules.check(cron)).doesNotThrowAnyException();
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "* * * *", "0 0 0 1 1 0 2026", "60 * * * * *", "0 60 * * * *", "0 0 24 * * *",
        "0 0 0 0 * *", "0 0 0 32 * *", "0 0 0 * 13 *", "0 0 0 * * 7", "*/0 * * * * *", "5-1 * * * * *",
        "x * * * * *", "1-2-3 * * * * *", "1/2/3 * * * * *", "-1 * * * * *", "1, * * * * *", "0 0 0 * foo *",
        "@every", "@every 5", "@every x", "@sometimes", "@daily 0"})
    void refusesTheRestAsInvalidArgument(String cron) {
        assertThatThrownBy(() -> CronSchedules.check(cron))
                .isInstanceOfSatisfying(StatusRuntimeException.class,
                        e -> org.assertj.core.api.Assertions.assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT))
                .hasMessageContaining("Invalid cron schedule");
    }
}
