package kfp.server.service;

import com.google.protobuf.Empty;
import io.grpc.stub.StreamObserver;
import kfp.server.errors.ApiErrors;

/**
 * What every unary KFP method does with its answer. A method computes its reply and passes it
 * here; anything it throws instead is mapped to a status by the transport ({@code ApiErrors}).
 */
final class Calls {

    private Calls() {
    }

    static <T> void reply(StreamObserver<T> out, T value) {
        out.onNext(value);
        out.onCompleted();
    }

    static void done(StreamObserver<Empty> out) {
        reply(out, Empty.getDefaultInstance());
    }

    /** A required id or name of a request: empty is the caller's error, named by its API field. */
    static String required(String value, String field) {
        if (value == null || value.isEmpty()) {
            throw ApiErrors.invalidArgument(field + " must not be empty");
        }
        return value;
    }
}
