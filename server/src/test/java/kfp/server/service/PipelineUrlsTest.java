package kfp.server.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.linecorp.armeria.common.HttpData;
import com.linecorp.armeria.common.HttpResponse;
import com.linecorp.armeria.common.HttpResponseWriter;
import com.linecorp.armeria.common.HttpStatus;
import com.linecorp.armeria.common.MediaType;
import com.linecorp.armeria.common.ResponseHeaders;
import com.linecorp.armeria.server.Server;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import kfp.server.config.PipelineUrlSettings;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Downloads of pipeline files from a local HTTP server, with a one-second PIPELINE_URL_TIMEOUT: a
 * server that is slow to answer or sends its body slowly is cut off at the timeout; a body over
 * 32 MiB is refused while it arrives. (No database: the API tests cover the rest on each one.)
 */
class PipelineUrlsTest {

    private static Server files;
    private final PipelineUrls urls = new PipelineUrls(new PipelineUrlSettings(Duration.ofSeconds(1)));

    @BeforeAll
    static void start() {
        files = Server.builder().http(0)
                .service("/hello.yaml", (ctx, req) -> HttpResponse.of(HttpStatus.OK, MediaType.PLAIN_TEXT_UTF_8,
                        PipelineApiTest.V2_SPEC))
                .service("/slow-headers.yaml", (ctx, req) -> HttpResponse.delayed(
                        HttpResponse.of(HttpStatus.OK, MediaType.PLAIN_TEXT_UTF_8, "a: b"), Duration.ofSeconds(5)))
                .service("/slow-body.yaml", (ctx, req) -> {
                    ctx.clearRequestTimeout();
                    HttpResponseWriter res = HttpResponse.streaming();
                    res.write(ResponseHeaders.of(HttpStatus.OK));
                    res.write(HttpData.ofUtf8("pipelineInfo:\n"));
                    ctx.eventLoop().schedule(() -> { res.write(HttpData.ofUtf8("  name: late\n")); }, 500,
                            java.util.concurrent.TimeUnit.MILLISECONDS);
                    ctx.eventLoop().schedule(() -> { res.write(HttpData.ofUtf8("root: {}\n")); }, 3,
                            java.util.concurrent.TimeUnit.SECONDS);
                    ctx.eventLoop().schedule((Runnable) res::close, 5, java.util.concurrent.TimeUnit.SECONDS);
                    return res;
                })
                .service("/endless.yaml", (ctx, req) -> {
                    ctx.clearRequestTimeout();
                    HttpResponseWriter res = HttpResponse.streaming();
                    res.write(ResponseHeaders.of(HttpStatus.OK));
                    byte[] chunk = new byte[1 << 20];
                    java.util.Arrays.fill(chunk, (byte) '#');
                    for (int i = 0; i < 33; i++) {
                        res.write(HttpData.wrap(chunk));
                    }
                    res.close();
                    return res;
                })
                .build();
        files.start().join();
    }

    @AfterAll
    static void stop() {
        files.stop().join();
    }

    @Test
    void fetchesAFileNamedByItsLastSegment() {
        PipelineUrls.File file = urls.fetch(url("/hello.yaml"));
        assertThat(file.name()).isEqualTo("hello.yaml");
        assertThat(new String(file.content(), StandardCharsets.UTF_8)).isEqualTo(PipelineApiTest.V2_SPEC);
    }

    @Test
    void slowAnswersAreCutOffAtTheTimeout() {
        long start = System.nanoTime();
        assertThat(message(url("/slow-headers.yaml"))).contains("took longer than 1 s");
        assertThat(message(url("/slow-body.yaml"))).contains("took longer than 1 s");
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(4));
    }

    @Test
    void refusesWhatItMustNotFetch() {
        assertThat(message(url("/endless.yaml"))).contains("larger than 32 MiB");
        assertThat(message(url("/missing.yaml"))).contains("HTTP 404");
        assertThat(message("file:///etc/passwd")).contains("http or https");
        assertThat(message("gopher://example.com/x")).contains("http or https");
        assertThat(message("not a url")).contains("not a URL");
        assertThat(message("http:///p.yaml")).contains("no host");
        assertThat(message("http://127.0.0.1:1/p.yaml")).contains("cannot download");
    }

    private String message(String url) {
        StatusRuntimeException e = catchThrowableOfType(StatusRuntimeException.class, () -> urls.fetch(url));
        assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
        return e.getStatus().getDescription();
    }

    private static String url(String path) {
        return "http://127.0.0.1:" + files.activeLocalPort() + path;
    }
}
