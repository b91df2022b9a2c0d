package kfp.server.service;

import com.google.inject.Inject;
import com.google.inject.Singleton;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import kfp.server.config.PipelineUrlSettings;
import kfp.server.convert.PipelineFiles;
import kfp.server.errors.ApiErrors;

/**
 * Downloads the pipeline file a create-from-URL request names: http or https only, no proxy,
 * at most {@link PipelineFiles#MAX_BYTES}, the whole download within {@code PIPELINE_URL_TIMEOUT}
 * (a server that sends its body slowly is cut off too). Every failure is the caller's URL's:
 * InvalidArgument naming it.
 */
@Singleton
final class PipelineUrls {

    /** Cuts off bodies still arriving at the deadline (closing the stream ends the blocked read). */
    private static final ScheduledExecutorService DEADLINES = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "pipeline-url-deadline");
        t.setDaemon(true);
        return t;
    });

    private final Duration timeout;
    private final HttpClient client;

    @Inject
    PipelineUrls(PipelineUrlSettings settings) {
        this.timeout = settings.timeout();
        this.client = HttpClient.newBuilder()
                .proxy(HttpClient.Builder.NO_PROXY)
                .followRedirects(HttpClient.Redirect.NORMAL) // never from https to http
                .connectTimeout(timeout)
                .build();
    }

    /** A downloaded file: its name (the URL's last path segment) and bytes. */
    record File(String name, byte[] content) {
    }

    File fetch(String url) {
        URI uri = parse(url);
        HttpRequest request = HttpRequest.newBuilder(uri).timeout(timeout).GET().build();
        long deadline = System.nanoTime() + timeout.toNanos();
        HttpResponse<InputStream> response;
        try {
            response = client.send(request, HttpResponse.BodyHandlers.ofInputStream());
        } catch (HttpTimeoutException e) {
            throw ApiErrors.invalidArgument("downloading the pipeline file from " + url + " took longer than "
                    + timeout.toSeconds() + " s");
        } catch (IOException e) {
            throw ApiErrors.invalidArgument("cannot download the pipeline file from " + url + ": " + e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw ApiErrors.unavailable("the server is stopping");
        }
        AtomicBoolean cutOff = new AtomicBoolean();
        try (InputStream body = response.body()) {
            if (response.statusCode() != 200) {
                throw ApiErrors.invalidArgument("downloading the pipeline file from " + url + " answered HTTP "
                        + response.statusCode());
            }
            ScheduledFuture<?> watchdog = DEADLINES.schedule(() -> {
                cutOff.set(true);
                closeQuietly(body);
            }, Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            byte[] content;
            try {
                content = body.readNBytes(PipelineFiles.MAX_BYTES + 1);
            } finally {
                watchdog.cancel(false);
            }
            if (cutOff.get()) {
                throw new IOException("cut off");
            }
            if (content.length > PipelineFiles.MAX_BYTES) {
                throw ApiErrors.invalidArgument("the pipeline file at " + url + " is larger than 32 MiB");
            }
            return new File(lastSegment(uri), content);
        } catch (IOException e) {
            if (cutOff.get()) {
                throw ApiErrors.invalidArgument("downloading the pipeline file from " + url + " took longer than "
                        + timeout.toSeconds() + " s");
            }
            throw ApiErrors.invalidArgument("cannot download the pipeline file from " + url + ": " + e.getMessage());
        }
    }

    private static URI parse(String url) {
        URI uri;
        try {
            uri = new URI(url);
        } catch (URISyntaxException e) {
            throw ApiErrors.invalidArgument("the pipeline URL " + url + " is not a URL: " + e.getReason());
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https")) {
            throw ApiErrors.invalidArgument("the pipeline URL " + url + " must be an http or https URL");
        }
        if (uri.getHost() == null || uri.getHost().isEmpty()) {
            throw ApiErrors.invalidArgument("the pipeline URL " + url + " has no host");
        }
        return uri;
    }

    private static String lastSegment(URI uri) {
        String path = uri.getPath() == null ? "" : uri.getPath();
        int slash = path.lastIndexOf('/');
        return slash < 0 ? path : path.substring(slash + 1);
    }

    private static void closeQuietly(InputStream in) {
        try {
            in.close();
        } catch (IOException e) {
            // the read it interrupts reports the cut-off
        }
    }
}
