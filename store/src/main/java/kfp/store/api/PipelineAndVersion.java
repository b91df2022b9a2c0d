package kfp.store.api;

import java.util.Optional;

/** A pipeline and one of its versions (the new one on create, the latest READY one in v1 reads); the version may be absent. */
public record PipelineAndVersion(Pipeline pipeline, PipelineVersion version) {

    public Optional<PipelineVersion> latestVersion() {
        return Optional.ofNullable(version);
    }
}
