package kfp.server.service;

/**
 * Namespaces in single-user mode, the only mode so far: every namespace a request names becomes
 * {@code ""} (KFP's ReplaceNamespace), so all objects live in the shared namespace.
 */
final class Namespaces {

    private Namespaces() {
    }

    /** The namespace stored and listed for what the request sent. */
    static String of(String requested) {
        return "";
    }
}
