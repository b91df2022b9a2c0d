package kfp.cache;

import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.MutatingWebhook;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.MutatingWebhookConfiguration;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.ServiceReference;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.io.ByteArrayInputStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeSet;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import kfp.store.config.ConfigurationException;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The webhook's certificate kept in a Secret ({@code --tls_secret}), the job KFP's cache-deployer
 * did beside the server, done here at start-up: the Secret in the server's own namespace is read;
 * when it is missing, unreadable, does not name the webhook's Service or expires within 30 days, a
 * new CA and server certificate replace it. Then the CA is written into the {@code caBundle} of each
 * webhook of {@code --webhook_config} that calls a Service in this namespace, so the API server
 * trusts the certificate. Replicas agree through the Secret: the first to write it wins, the others
 * read what it wrote.
 */
final class WebhookCertificate {

    private static final Logger LOG = LoggerFactory.getLogger(WebhookCertificate.class);

    static final String CA = "ca.crt";
    static final String CERT = "tls.crt";
    static final String KEY = "tls.key";
    static final Duration VALIDITY = Duration.ofDays(3650);
    static final Duration RENEW_BEFORE = Duration.ofDays(30);

    private static final Pattern PEM = Pattern.compile("-----BEGIN ([A-Z ]+)-----([^-]+)-----END \\1-----");
    private static final SecureRandom RANDOM = new SecureRandom();

    /** The server's key, its certificate and the CA that signed it. */
    record Material(PrivateKey key, X509Certificate cert, X509Certificate ca) {
    }

    private WebhookCertificate() {
    }

    /** Reads, or makes and stores, the certificate, and wires its CA into the webhook configuration. */
    static Material ensure(KubernetesClient kubernetes, String secretName, String webhookConfigName) {
        String namespace = kubernetes.getNamespace();
        if (namespace == null || namespace.isBlank()) {
            throw new ConfigurationException("--tls_secret: cannot tell the server's namespace (no service account"
                    + " namespace file and no namespace in the Kubernetes configuration)");
        }
        var webhookConfigs = kubernetes.admissionRegistration().v1().mutatingWebhookConfigurations();
        MutatingWebhookConfiguration config = call("read MutatingWebhookConfiguration " + webhookConfigName,
                () -> webhookConfigs.withName(webhookConfigName).get());
        if (config == null) {
            throw new ConfigurationException("MutatingWebhookConfiguration " + webhookConfigName
                    + " does not exist (check --webhook_config)");
        }
        List<String> dnsNames = serviceNames(config, namespace);
        if (dnsNames.isEmpty()) {
            throw new ConfigurationException("MutatingWebhookConfiguration " + webhookConfigName
                    + " has no webhook calling a Service in namespace " + namespace + " (check --webhook_config)");
        }
        var secrets = kubernetes.secrets().inNamespace(namespace);
        String where = "Secret " + namespace + "/" + secretName;
        Secret secret = call("read " + where, () -> secrets.withName(secretName).get());
        Material material = secret == null ? null : read(secret);
        if (material == null || !usable(material, dnsNames, Instant.now())) {
            Material fresh = generate(dnsNames, Instant.now());
            Secret desired = new SecretBuilder()
                    .withNewMetadata().withName(secretName).withNamespace(namespace)
                    .addToLabels("app", "cache-server").endMetadata()
                    .withType(secret == null ? "kubernetes.io/tls" : secret.getType()) // a Secret's type never changes
                    .withData(encode(fresh))
                    .build();
            try {
                if (secret == null) {
                    secrets.resource(desired).create();
                } else {
                    desired.getMetadata().setResourceVersion(secret.getMetadata().getResourceVersion());
                    secrets.resource(desired).update();
                }
                material = fresh;
                LOG.info("{}: new certificate for {}, valid until {}", where, dnsNames, fresh.cert().getNotAfter().toInstant());
            } catch (KubernetesClientException e) {
                if (e.getCode() != 409) {
                    throw failure("write " + where, e);
                }
                // another replica wrote it first: use theirs
                Secret theirs = call("read " + where, () -> secrets.withName(secretName).get());
                material = theirs == null ? null : read(theirs);
                if (material == null) {
                    throw new ConfigurationException(where + " was written by someone else and holds no usable certificate");
                }
            }
        }
        String bundle = Base64.getEncoder().encodeToString(pem("CERTIFICATE", der(material.ca())).getBytes(StandardCharsets.US_ASCII));
        Consumer<MutatingWebhookConfiguration> wire = c -> forOwnWebhooks(c, namespace,
                w -> w.getClientConfig().setCaBundle(bundle));
        List<String> stale = new ArrayList<>();
        forOwnWebhooks(config, namespace, w -> {
            if (!bundle.equals(w.getClientConfig().getCaBundle())) {
                stale.add(w.getName());
            }
        });
        if (!stale.isEmpty()) {
            call("patch MutatingWebhookConfiguration " + webhookConfigName, () -> webhookConfigs.withName(webhookConfigName)
                    .edit(c -> {
                        wire.accept(c);
                        return c;
                    }));
            LOG.info("MutatingWebhookConfiguration {}: CA bundle set for {}", webhookConfigName, stale);
        }
        return material;
    }

    /** The names the API server may use for the Services this configuration's webhooks call in {@code namespace}. */
    static List<String> serviceNames(MutatingWebhookConfiguration config, String namespace) {
        TreeSet<String> names = new TreeSet<>();
        forOwnWebhooks(config, namespace, w -> {
            String service = w.getClientConfig().getService().getName();
            names.add(service);
            names.add(service + "." + namespace);
            names.add(service + "." + namespace + ".svc");
        });
        return List.copyOf(names);
    }

    private static void forOwnWebhooks(MutatingWebhookConfiguration config, String namespace, Consumer<MutatingWebhook> action) {
        for (MutatingWebhook w : config.getWebhooks() == null ? List.<MutatingWebhook>of() : config.getWebhooks()) {
            ServiceReference service = w.getClientConfig() == null ? null : w.getClientConfig().getService();
            if (service != null && service.getName() != null && namespace.equals(service.getNamespace())) {
                action.accept(w);
            }
        }
    }

    /** Valid now, signed by its CA, naming every DNS name, and not about to expire. */
    static boolean usable(Material m, List<String> dnsNames, Instant now) {
        try {
            m.cert().checkValidity(Date.from(now.plus(RENEW_BEFORE)));
            m.cert().verify(m.ca().getPublicKey());
            List<String> named = new ArrayList<>();
            if (m.cert().getSubjectAlternativeNames() != null) {
                for (List<?> san : m.cert().getSubjectAlternativeNames()) {
                    if (Integer.valueOf(GeneralName.dNSName).equals(san.get(0))) {
                        named.add((String) san.get(1));
                    }
                }
            }
            return named.containsAll(dnsNames);
        } catch (GeneralSecurityException e) {
            return false;
        }
    }

    /** A CA and a server certificate it signs for {@code dnsNames}, both with EC P-256 keys. */
    static Material generate(List<String> dnsNames, Instant now) {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(new ECGenParameterSpec("secp256r1"));
            KeyPair caKeys = generator.generateKeyPair();
            KeyPair serverKeys = generator.generateKeyPair();
            Date from = Date.from(now.minus(Duration.ofHours(1))); // tolerate clocks a little behind ours
            Date until = Date.from(now.plus(VALIDITY));
            JcaX509ExtensionUtils ids = new JcaX509ExtensionUtils();

            X500Name caName = new X500Name("CN=kfp-cache-server-ca");
            X509v3CertificateBuilder ca = new JcaX509v3CertificateBuilder(caName, serial(), from, until, caName, caKeys.getPublic())
                    .addExtension(Extension.basicConstraints, true, new BasicConstraints(true))
                    .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign))
                    .addExtension(Extension.subjectKeyIdentifier, false, ids.createSubjectKeyIdentifier(caKeys.getPublic()));
            X509Certificate caCert = sign(ca, caKeys.getPrivate());

            GeneralName[] sans = dnsNames.stream().map(n -> new GeneralName(GeneralName.dNSName, n)).toArray(GeneralName[]::new);
            X509v3CertificateBuilder server = new JcaX509v3CertificateBuilder(caName, serial(), from, until,
                    new X500Name("CN=" + dnsNames.get(dnsNames.size() - 1)), serverKeys.getPublic())
                    .addExtension(Extension.basicConstraints, true, new BasicConstraints(false))
                    .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature))
                    .addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(KeyPurposeId.id_kp_serverAuth))
                    .addExtension(Extension.subjectAlternativeName, false, new GeneralNames(sans))
                    .addExtension(Extension.authorityKeyIdentifier, false, ids.createAuthorityKeyIdentifier(caCert));
            return new Material(serverKeys.getPrivate(), sign(server, caKeys.getPrivate()), caCert);
        } catch (GeneralSecurityException | java.io.IOException | OperatorCreationException e) {
            throw new IllegalStateException("cannot make the webhook certificate", e);
        }
    }

    private static X509Certificate sign(X509v3CertificateBuilder builder, PrivateKey key)
            throws OperatorCreationException, GeneralSecurityException {
        return new JcaX509CertificateConverter().getCertificate(builder.build(new JcaContentSignerBuilder("SHA256withECDSA").build(key)));
    }

    private static BigInteger serial() {
        return new BigInteger(63, RANDOM).add(BigInteger.ONE);
    }

    /** The Secret's data: PEM files under the names cert-manager uses. */
    static Map<String, String> encode(Material m) {
        Map<String, String> data = new LinkedHashMap<>();
        data.put(CA, base64(pem("CERTIFICATE", der(m.ca()))));
        data.put(CERT, base64(pem("CERTIFICATE", der(m.cert()))));
        data.put(KEY, base64(pem("PRIVATE KEY", m.key().getEncoded())));
        return data;
    }

    /** The Secret's certificate, or null when a part is missing or does not parse. */
    static Material read(Secret secret) {
        Map<String, String> data = secret.getData() == null ? Map.of() : secret.getData();
        if (!data.keySet().containsAll(List.of(CA, CERT, KEY))) {
            return null;
        }
        try {
            CertificateFactory x509 = CertificateFactory.getInstance("X.509");
            X509Certificate ca = (X509Certificate) x509.generateCertificate(new ByteArrayInputStream(decode(data.get(CA))));
            X509Certificate cert = (X509Certificate) x509.generateCertificate(new ByteArrayInputStream(decode(data.get(CERT))));
            Matcher key = PEM.matcher(new String(decode(data.get(KEY)), StandardCharsets.US_ASCII));
            if (!key.find() || !key.group(1).equals("PRIVATE KEY")) {
                return null;
            }
            byte[] pkcs8 = Base64.getMimeDecoder().decode(key.group(2));
            PrivateKey privateKey = KeyFactory.getInstance(cert.getPublicKey().getAlgorithm())
                    .generatePrivate(new PKCS8EncodedKeySpec(pkcs8));
            return new Material(privateKey, cert, ca);
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            return null;
        }
    }

    private static byte[] decode(String base64) {
        return Base64.getDecoder().decode(base64);
    }

    private static String base64(String text) {
        return Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.US_ASCII));
    }

    private static byte[] der(X509Certificate cert) {
        try {
            return cert.getEncoded();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    static String pem(String type, byte[] der) {
        String body = Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der);
        return "-----BEGIN " + type + "-----\n" + body + "\n-----END " + type + "-----\n";
    }

    private static <T> T call(String what, java.util.function.Supplier<T> call) {
        try {
            return call.get();
        } catch (KubernetesClientException e) {
            throw failure(what, e);
        }
    }

    private static ConfigurationException failure(String what, KubernetesClientException e) {
        String status = e.getStatus() != null && e.getStatus().getMessage() != null ? e.getStatus().getMessage()
                : Objects.toString(e.getMessage(), e.toString());
        String hint = e.getCode() == 403 ? " (check the cache server's RBAC)" : "";
        return new ConfigurationException("cannot " + what + ": " + status.replaceAll("\\s+", " ").trim() + hint, e);
    }
}
