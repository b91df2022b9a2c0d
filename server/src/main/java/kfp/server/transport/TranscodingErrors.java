package kfp.server.transport;

import com.google.protobuf.InvalidProtocolBufferException;
import com.linecorp.armeria.common.AggregatedHttpResponse;
import com.linecorp.armeria.common.HttpData;
import com.linecorp.armeria.common.HttpHeaders;
import com.linecorp.armeria.common.HttpResponse;
import com.linecorp.armeria.common.MediaType;
import com.linecorp.armeria.common.ResponseHeaders;
import com.linecorp.armeria.server.ServiceRequestContext;
import com.linecorp.armeria.server.grpc.UnframedGrpcErrorHandler;
import io.grpc.Status;
import java.util.Base64;
import kfp.server.errors.ApiErrors;
import kfp.server.errors.HttpErrors;

/**
 * The HTTP answer of a transcoded call that failed: grpc-gateway's status table and body, with
 * the call's {@code google.rpc.Status} detail when it carried one.
 */
final class TranscodingErrors implements UnframedGrpcErrorHandler {

    @Override
    public HttpResponse handle(ServiceRequestContext ctx, Status status, AggregatedHttpResponse response) {
        HttpHeaders trailers = !response.trailers().isEmpty() ? response.trailers() : response.headers();
        com.google.rpc.Status rich = null;
        String bin = trailers.get(ApiErrors.DETAILS.name());
        if (bin != null && !bin.isEmpty()) {
            try {
                rich = com.google.rpc.Status.parseFrom(Base64.getDecoder().decode(bin));
            } catch (InvalidProtocolBufferException | IllegalArgumentException e) {
                rich = null; // answer with code and message only
            }
        }
        ResponseHeaders headers = ResponseHeaders.builder(HttpErrors.httpStatus(status.getCode()))
                .contentType(MediaType.JSON_UTF_8)
                .addInt("grpc-status", status.getCode().value()) // the code the metrics count
                .build();
        return HttpResponse.of(headers, HttpData.ofUtf8(HttpErrors.body(status, rich)));
    }
}
