package kfp.store.mybatis;

import kfp.store.testing.TestDatabase;

/** Rows other stores own, written with plain JDBC as fixtures. */
final class Rows {

    private Rows() {
    }

    static void experiment(TestDatabase db, String uuid, String namespace) {
        db.update("INSERT INTO experiments (\"UUID\", \"Name\", \"Description\", \"CreatedAtInSec\", "
                + "\"LastRunCreatedAtInSec\", \"Namespace\", \"StorageState\") VALUES (?, ?, '', 0, 0, ?, 'AVAILABLE')",
                uuid, "exp-" + uuid, namespace);
    }

    static void pipelineWithVersion(TestDatabase db, String pipelineId, String versionId) {
        db.update("INSERT INTO pipelines (\"UUID\", \"CreatedAtInSec\", \"Name\", \"DisplayName\", \"Description\", "
                + "\"Status\", \"Namespace\") VALUES (?, 0, ?, ?, '', 'READY', '')", pipelineId, "p-" + pipelineId, "p-" + pipelineId);
        db.update("INSERT INTO pipeline_versions (\"UUID\", \"CreatedAtInSec\", \"Name\", \"DisplayName\", \"Parameters\", "
                + "\"PipelineId\", \"Status\", \"CodeSourceUrl\", \"Description\", \"PipelineSpec\", \"PipelineSpecURI\") "
                + "VALUES (?, 0, ?, ?, '', ?, 'READY', '', '', '', '')", versionId, "v-" + versionId, "v-" + versionId, pipelineId);
    }

    static void job(TestDatabase db, String uuid, String experimentId) {
        db.update("INSERT INTO jobs (\"UUID\", \"DisplayName\", \"Name\", \"Namespace\", \"ServiceAccount\", "
                + "\"Description\", \"MaxConcurrency\", \"NoCatchup\", \"CreatedAtInSec\", \"Enabled\", "
                + "\"ExperimentUUID\", \"PipelineId\", \"PipelineName\", \"Conditions\") "
                + "VALUES (?, ?, '', '', '', '', 1, FALSE, 0, TRUE, ?, '', '', 'ENABLED')", uuid, "job-" + uuid, experimentId);
    }

    /** A bare run row, enough for tasks and metrics to hang on. */
    static void run(TestDatabase db, String uuid, String experimentId) {
        db.update("INSERT INTO run_details (\"UUID\", \"DisplayName\", \"Name\", \"Description\", \"Namespace\", "
                + "\"ExperimentUUID\", \"StorageState\", \"ServiceAccount\", \"PipelineId\", \"PipelineName\", "
                + "\"CreatedAtInSec\", \"Conditions\", \"PipelineRuntimeManifest\", \"WorkflowRuntimeManifest\") "
                + "VALUES (?, ?, '', '', '', ?, 'AVAILABLE', '', '', '', 0, 'Running', '', '')", uuid, "run-" + uuid, experimentId);
    }
}
