package kfp.server.transport;

import com.linecorp.armeria.common.HttpRequest;
import com.linecorp.armeria.common.HttpResponse;
import com.linecorp.armeria.server.HttpService;
import com.linecorp.armeria.server.ServiceRequestContext;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import kfp.server.config.ServerSettings;

/**
 * KFP's hand-written healthz handlers: {@code /apis/v1beta1/healthz} answers commit, tag and mode;
 * {@code /apis/v2beta1/healthz} adds {@code pipeline_store}. Any method, as in KFP. They answer
 * whenever the process serves, database or not (the liveness and start-up probe).
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
        this.body = Collections.unmodifiableMap(b);
    }

    @Override
    public HttpResponse serve(ServiceRequestContext ctx, HttpRequest req) {
        return HttpResponse.ofJson(body);
    }
}
