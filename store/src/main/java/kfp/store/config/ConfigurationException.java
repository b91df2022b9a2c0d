package kfp.store.config;

/**
 * Start-up cannot go on because of a setting. The message is one line that names the setting and
 * the cause; servers print it and exit non-zero.
 */
public class ConfigurationException extends RuntimeException {

    public ConfigurationException(String message) {
        super(message);
    }

    public ConfigurationException(String message, Throwable cause) {
        super(message, cause);
    }

    /**
     * The setting error behind a start-up failure, or null. Looks through causes and through the
     * error lists of Guice's CreationException and ProvisionException, which carry no single cause.
     */
    public static ConfigurationException findIn(Throwable failure) {
        java.util.ArrayDeque<Throwable> todo = new java.util.ArrayDeque<>(java.util.List.of(failure));
        java.util.Set<Throwable> seen = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
        while (!todo.isEmpty()) {
            Throwable t = todo.poll();
            if (!seen.add(t)) {
                continue;
            }
            if (t instanceof ConfigurationException ce) {
                return ce;
            }
            if (t.getCause() != null) {
                todo.add(t.getCause());
            }
            java.util.Collection<com.google.inject.spi.Message> messages =
                    t instanceof com.google.inject.CreationException c ? c.getErrorMessages()
                    : t instanceof com.google.inject.ProvisionException p ? p.getErrorMessages()
                    : java.util.List.of();
            for (com.google.inject.spi.Message m : messages) {
                if (m.getCause() != null) {
                    todo.add(m.getCause());
                }
            }
        }
        return null;
    }
}
