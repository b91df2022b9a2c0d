package kfp.cache;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.inject.Inject;
import com.google.inject.Singleton;
import com.linecorp.armeria.common.AggregatedHttpRequest;
import com.linecorp.armeria.common.HttpMethod;
import com.linecorp.armeria.common.HttpRequest;
import com.linecorp.armeria.common.HttpResponse;
import com.linecorp.armeria.common.HttpStatus;
import com.linecorp.armeria.common.MediaType;
import com.linecorp.armeria.server.HttpService;
import com.linecorp.armeria.server.ServiceRequestContext;
import io.micrometer.core.instrument.MeterRegistry;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code POST /mutate}: the mutating admission webhook. Reads an AdmissionReview
 * ({@code admission.k8s.io/v1beta1}, as KFP registers it, or {@code v1}) and answers one of the same
 * version with the request's uid, {@code allowed}, and the JSON patch ({@code patchType: JSONPatch})
 * when there is one. A request that is not a well-formed review gets a 4xx with a one-line message;
 * the decision runs off the event loop, since it reads the database.
 */
@Singleton
final class AdmissionService implements HttpService {

    private static final Logger LOG = LoggerFactory.getLogger(AdmissionService.class);
    static final String V1BETA1 = "admission.k8s.io/v1beta1";
    static final String V1 = "admission.k8s.io/v1";

    private final PodMutator mutator;
    private final MeterRegistry metrics;

    @Inject
    AdmissionService(PodMutator mutator, MeterRegistry metrics) {
        this.mutator = mutator;
        this.metrics = metrics;
    }

    @Override
    public HttpResponse serve(ServiceRequestContext ctx, HttpRequest req) {
        if (req.method() != HttpMethod.POST) {
            return reject(HttpStatus.METHOD_NOT_ALLOWED, "Invalid method \"" + req.method() + "\", only POST requests are allowed");
        }
        MediaType type = req.contentType();
        if (type == null || !type.is(MediaType.JSON)) {
            return reject(HttpStatus.BAD_REQUEST, "Unsupported content type \"" + (type == null ? "" : type)
                    + "\", only \"application/json\" is supported");
        }
        return HttpResponse.of(req.aggregate().thenApplyAsync(this::review, ctx.blockingTaskExecutor()));
    }

    private HttpResponse review(AggregatedHttpRequest req) {
        JsonNode review;
        try {
            review = PodMutator.JSON.readTree(req.content(StandardCharsets.UTF_8));
        } catch (JsonProcessingException e) {
            return reject(HttpStatus.BAD_REQUEST, "Could not deserialize request: " + e.getOriginalMessage());
        }
        if (review == null || !review.isObject()) {
            return reject(HttpStatus.BAD_REQUEST, "Could not deserialize request: not a JSON object");
        }
        String apiVersion = review.path("apiVersion").asText(V1BETA1);
        if (!apiVersion.equals(V1BETA1) && !apiVersion.equals(V1)) {
            return reject(HttpStatus.BAD_REQUEST, "Unsupported AdmissionReview version \"" + apiVersion
                    + "\", only " + V1BETA1 + " and " + V1 + " are supported");
        }
        if (review.has("kind") && !"AdmissionReview".equals(review.get("kind").asText())) {
            return reject(HttpStatus.BAD_REQUEST, "Could not deserialize request: kind is not AdmissionReview");
        }
        JsonNode request = review.get("request");
        if (request == null || !request.isObject()) {
            return reject(HttpStatus.BAD_REQUEST, "Malformed admission review request: request body is nil");
        }
        ObjectNode response = PodMutator.JSON.createObjectNode();
        response.set("uid", request.path("uid"));
        String namespace = request.path("namespace").asText("");
        PodMutator.Decision decision = namespace.equals("kube-system") || namespace.equals("kube-public")
                ? PodMutator.Decision.allow(PodMutator.JSON.createArrayNode(), "skipped")
                : mutator.admit(request);
        metrics.counter("kfp_cache_webhook_requests", "outcome", decision.outcome()).increment();
        if (decision.error() != null) {
            LOG.warn("refusing pod: {}", decision.error());
            response.put("allowed", false);
            response.putObject("status").put("message", decision.error());
        } else {
            response.put("allowed", true);
            if (!decision.patch().isEmpty()) {
                response.put("patchType", "JSONPatch");
                response.put("patch", Base64.getEncoder().encodeToString(
                        decision.patch().toString().getBytes(StandardCharsets.UTF_8)));
            }
        }
        ObjectNode answer = PodMutator.JSON.createObjectNode();
        answer.put("apiVersion", apiVersion);
        answer.put("kind", "AdmissionReview");
        answer.set("response", response);
        return HttpResponse.of(HttpStatus.OK, MediaType.JSON_UTF_8, answer.toString());
    }

    private static HttpResponse reject(HttpStatus status, String message) {
        LOG.warn("bad webhook request: {}", message);
        return HttpResponse.of(status, MediaType.PLAIN_TEXT_UTF_8, message + "\n");
    }
}
