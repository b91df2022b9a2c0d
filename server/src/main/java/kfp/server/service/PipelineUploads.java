package kfp.server.service;

import com.google.protobuf.Message;
import java.util.Map;

/**
 * KFP's multipart uploads ({@code POST /apis/<version>/pipelines/upload} and {@code .../upload_version},
 * HTTP only): the transport reads the form and answers; the pipeline service of each API version
 * creates, with the rules its gRPC creates use.
 */
public interface PipelineUploads {

    /** {@code v1beta1} or {@code v2beta1}: the path segment of the routes. */
    String apiVersion();

    /** A pipeline and its first version; answers the version's {@code Pipeline} message. */
    Message uploadPipeline(Upload upload);

    /** A version of the pipeline named by query parameter {@code pipelineid}; answers a {@code PipelineVersion}. */
    Message uploadPipelineVersion(Upload upload);

    /** The form's {@code uploadfile} (its file name and bytes) and the query parameters (first values). */
    record Upload(String fileName, byte[] content, Map<String, String> query) {

        String param(String name) {
            String v = query.get(name);
            return v == null ? "" : v;
        }
    }
}
