package kfp.server.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.util.UUID;
import org.junit.jupiter.api.Test;

class ScheduledRunIdsTest {

    @Test
    void matchesRfc9562NameBasedVersion5() {
        // RFC 9562 appendix A.4: "www.example.com" in the DNS namespace
        UUID dns = UUID.fromString("6ba7b810-9dad-11d1-80b4-00c04fd430c8");
        assertEquals("2ed6657d-e927-568b-95e1-2665a8aea6a2",
                ScheduledRunIds.nameUuidV5(dns, "www.example.com").toString());
    }

    @Test
    void sameScheduledRunSameIdOtherwiseDifferent() {
        String id = ScheduledRunIds.of("job-1", "run-1-20261205");
        assertEquals(id, ScheduledRunIds.of("job-1", "run-1-20261205"));
        assertEquals(5, UUID.fromString(id).version());
        assertNotEquals(id, ScheduledRunIds.of("job-2", "run-1-20261205"));
        assertNotEquals(id, ScheduledRunIds.of("job-1", "run-1-20261206"));
    }
}
