package kfp.server.convert;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.Struct;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import org.junit.jupiter.api.Test;

class PipelineSpecsTest {

    private static final String SPEC_YAML = """
            pipelineInfo:
              name: hello-world
            schemaVersion: 2.1.0
            sdkVersion: kfp-2.7.0
            root:
              dag:
                tasks: {}
            defaultPipelineRoot: ''
            """;
    private static final String PLATFORM_YAML = """
            platforms:
              kubernetes:
                deploymentSpec:
                  executors: {}
            """;

    @Test
    void oneDocumentIsTheSpecItself() {
        Struct s = PipelineSpecs.toStruct(SPEC_YAML);
        assertEquals("hello-world", s.getFieldsOrThrow("pipelineInfo").getStructValue()
                .getFieldsOrThrow("name").getStringValue());
        assertEquals("2.1.0", s.getFieldsOrThrow("schemaVersion").getStringValue());
    }

    @Test
    void aPlatformSpecAfterTheSpecMakesThePairAndRoundTrips() {
        Struct pair = PipelineSpecs.toStruct(SPEC_YAML + "---\n" + PLATFORM_YAML);
        assertEquals(2, pair.getFieldsCount());
        assertTrue(pair.getFieldsOrThrow("platform_spec").hasStructValue());
        String manifest = PipelineSpecs.toManifest(pair);
        assertTrue(manifest.contains("\n---\n"), manifest);
        assertEquals(pair, PipelineSpecs.toStruct(manifest));
    }

    @Test
    void wholeNumbersStayIntegersInTheStoredText() {
        Struct s = PipelineSpecs.toStruct("{\"retries\": 3, \"ratio\": 0.5, \"big\": 9007199254740992}");
        String json = PipelineSpecs.toManifest(s);
        assertTrue(json.contains("\"retries\":3"), json);
        assertTrue(json.contains("\"ratio\":0.5"), json);
        assertEquals(s, PipelineSpecs.toStruct(json));
    }

    @Test
    void emptyTextHasNoSpec() {
        assertNull(PipelineSpecs.toStruct(""));
        assertNull(PipelineSpecs.toStruct("---\n"));
        assertEquals("", PipelineSpecs.toManifest(Struct.getDefaultInstance()));
    }

    @Test
    void textThatIsNotAMappingIsTheCallersError() {
        for (String bad : new String[] {"[1, 2]", "pipelineInfo: [unclosed", "a: 1\na: 2", "just words"}) {
            StatusRuntimeException e = assertThrows(StatusRuntimeException.class,
                    () -> PipelineSpecs.documents(bad, "the pipeline file"));
            assertEquals(Status.Code.INVALID_ARGUMENT, e.getStatus().getCode(), bad);
            assertTrue(e.getStatus().getDescription().startsWith("the pipeline file"), e.getMessage());
        }
    }
}
