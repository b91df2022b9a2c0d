package kfp.server.service;

import io.grpc.Context;
import io.grpc.Contexts;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import java.util.Map;

/**
 * KFP's way to clear all tags of a pipeline or version in an update: protobuf cannot tell an empty
 * map from an absent one, so a caller that means "no tags" sends metadata {@code x-clear-tags: true}
 * (gRPC), or {@code "tags":{}} in the JSON body, which the HTTP transport turns into that header.
 */
final class ClearTags {

    static final Metadata.Key<String> HEADER = Metadata.Key.of("x-clear-tags", Metadata.ASCII_STRING_MARSHALLER);
    private static final Context.Key<Boolean> REQUESTED = Context.key("x-clear-tags");

    /** Carries the header into the call's context, where {@link #tags} reads it. */
    static final ServerInterceptor INTERCEPTOR = new ServerInterceptor() {
        @Override
        public <Q, A> ServerCall.Listener<Q> interceptCall(ServerCall<Q, A> call, Metadata headers,
                                                          ServerCallHandler<Q, A> next) {
            boolean clear = "true".equals(headers.get(HEADER));
            return Contexts.interceptCall(Context.current().withValue(REQUESTED, clear), call, headers, next);
        }
    };

    private ClearTags() {
    }

    /** The tags an update sets: the request's, {@code {}} when the caller asked to clear them, else null (unchanged). */
    static Map<String, String> tags(Map<String, String> requested) {
        if (!requested.isEmpty()) {
            return requested;
        }
        return Boolean.TRUE.equals(REQUESTED.get()) ? Map.of() : null;
    }
}
