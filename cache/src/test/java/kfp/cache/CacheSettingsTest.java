package kfp.cache;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Map;
import kfp.store.config.DatabaseConfig;
import org.junit.jupiter.api.Test;

/** KFP's cache server flags and variables mean the same here, as KFP's manifests set them. */
class CacheSettingsTest {

    @Test
    void kfpsDefaults() {
        CacheSettings s = CacheSettings.from(new String[0], Map.of());
        assertThat(s.database().vendor()).isEqualTo(DatabaseConfig.Vendor.MYSQL);
        assertThat(s.database().jdbcUrl()).isEqualTo("jdbc:mysql://mysql:3306/cachedb");
        assertThat(s.database().user()).isEqualTo("root");
        assertThat(s.namespaceToWatch()).isEqualTo("kubeflow");
        assertThat(s.tlsCert()).isEqualTo(Path.of("/etc/webhook/certs/cert.pem"));
        assertThat(s.tlsKey()).isEqualTo(Path.of("/etc/webhook/certs/key.pem"));
        assertThat(s.listenPort()).isEqualTo(8443);
        assertThat(s.defaultStalenessSeconds()).isEqualTo(-1);
        assertThat(s.maximumStalenessSeconds()).isEqualTo(-1);
        assertThat(s.cacheImage()).isEqualTo("ghcr.io/containerd/busybox");
        assertThat(s.nodeRestrictions()).isFalse();
    }

    /** The arguments KFP's manifests pass, with cert-manager's file names and the multi-user empty namespace. */
    @Test
    void kfpsManifestArguments() {
        CacheSettings s = CacheSettings.from(new String[] {"--db_driver=pgx", "--db_host=postgres", "--db_port=5432",
                "--db_name=cachedb", "--db_user=kfp", "--db_password=secret", "--db_extra_params={\"sslmode\":\"require\"}",
                "--namespace_to_watch=", "-listen_port", "9443", "--tls_cert_filename=tls.crt", "--tls_key_filename=tls.key"},
                Map.of("DEFAULT_CACHE_STALENESS", "P7D", "MAXIMUM_CACHE_STALENESS", "P30D", "CACHE_IMAGE", "busybox:1",
                        "CACHE_NODE_RESTRICTIONS", "true"));
        assertThat(s.database().jdbcUrl()).isEqualTo("jdbc:postgresql://postgres:5432/cachedb");
        assertThat(s.database().connectionProperties()).containsEntry("sslmode", "require");
        assertThat(s.namespaceToWatch()).isEmpty();
        assertThat(s.listenPort()).isEqualTo(9443);
        assertThat(s.tlsCert()).isEqualTo(Path.of("/etc/webhook/certs/tls.crt"));
        assertThat(s.defaultStalenessSeconds()).isEqualTo(604_800);
        assertThat(s.maximumStalenessSeconds()).isEqualTo(2_592_000);
        assertThat(s.cacheImage()).isEqualTo("busybox:1");
        assertThat(s.nodeRestrictions()).isTrue();
    }

    @Test
    void anUnparsableStalenessMeansNoLimitAsInKfp() {
        assertThat(CacheSettings.from(new String[0], Map.of("MAXIMUM_CACHE_STALENESS", "a week")).maximumStalenessSeconds())
                .isEqualTo(-1);
    }
}
