package kfp.server.transport;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.linecorp.armeria.common.HttpMethod;
import com.linecorp.armeria.common.HttpRequest;
import com.linecorp.armeria.common.HttpResponse;
import com.linecorp.armeria.server.HttpService;
import java.io.IOException;

/**
 * A pipeline or version update whose JSON body says {@code "tags":{}} means "remove all tags", which
 * the protobuf message cannot carry (an empty map is an absent one): as KFP's HTTP server does, such
 * a PATCH or PUT under {@code /apis/v2beta1/pipelines/} gets header {@code x-clear-tags: true}, which
 * the call reads as gRPC metadata.
 */
final class ClearTagsHeader {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String PATHS = "/apis/v2beta1/pipelines/";

    private ClearTagsHeader() {
    }

    static HttpService decorate(HttpService service) {
        return service.decorate((delegate, ctx, req) -> {
            HttpMethod m = req.method();
            if ((m != HttpMethod.PATCH && m != HttpMethod.PUT) || !ctx.path().startsWith(PATHS)) {
                return delegate.serve(ctx, req);
            }
            return HttpResponse.of(req.aggregate().thenApply(body -> {
                HttpRequest again = body.toHttpRequest();
                if (clearsTags(body.contentUtf8())) {
                    again = again.withHeaders(again.headers().toBuilder().set("x-clear-tags", "true").build());
                }
                try {
                    return delegate.serve(ctx, again);
                } catch (Exception e) {
                    return HttpResponse.ofFailure(e);
                }
            }));
        });
    }

    private static boolean clearsTags(String body) {
        try {
            JsonNode tags = JSON.readTree(body).path("tags");
            return tags.isObject() && tags.isEmpty();
        } catch (IOException | RuntimeException e) {
            return false; // the call itself reports malformed JSON
        }
    }
}
