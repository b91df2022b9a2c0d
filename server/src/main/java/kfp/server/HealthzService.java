package kfp.server;

import com.linecorp.armeria.common.HttpRequest;
import com.linecorp.armeria.common.HttpResponse;
import com.linecorp.armeria.server.HttpService;
import com.linecorp.armeria.server.ServiceRequestContext;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * KFP's hand-written healthz handlers: {@code /apis/v1beta1/healthz} answers commit, tag and mode;
 * {@code /apis/v2beta1/healthz} adds {@code pipeline_store}. Any method, as in KFP.
 */
final class HealthzService implements HttpService {

    private final Map<String, Object> body;

    HealthzService(ServerSettings settings, boolean v2) {
        Map<String, Object> b = new LinkedHashMap<>();
        b.put("commit_sha", settings.commitSha());
        b.put("tag_name", settings.tagName());
        b.put("multi_user", settings.multiUser());
        if (v2) {
            b.put("pipeline_store", "database");
        }
        this.body = java.util.Collections.unmodifiableMap(b);
    }

    @Override
    public HttpResponse serve(ServiceRequestContext ctx, HttpRequest req) {
        return HttpResponse.ofJson(body);
    }
}
