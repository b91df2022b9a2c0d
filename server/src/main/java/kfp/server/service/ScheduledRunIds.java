package kfp.server.service;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.UUID;

/**
 * The id of a run that a recurring run starts: a name-based UUID (version 5, SHA-1) of
 * {@code "<recurringRunId>/<displayName>"} in KFP's namespace, so that the scheduler's create and
 * the persistence agent's report of the same scheduled run meet on one row whichever comes first.
 */
public final class ScheduledRunIds {

    /** KFP's namespace for scheduled run ids. */
    static final UUID NAMESPACE = UUID.fromString("c2f3a9d4-1e6b-4c8a-9f7d-0b5e3a1c2d4f");

    private ScheduledRunIds() {
    }

    public static String of(String recurringRunId, String displayName) {
        return nameUuidV5(NAMESPACE, recurringRunId + "/" + displayName).toString();
    }

    static UUID nameUuidV5(UUID namespace, String name) {
        MessageDigest sha1;
        try {
            sha1 = MessageDigest.getInstance("SHA-1");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-1", e);
        }
        sha1.update(ByteBuffer.allocate(16)
                .putLong(namespace.getMostSignificantBits())
                .putLong(namespace.getLeastSignificantBits())
                .array());
        byte[] hash = sha1.digest(name.getBytes(StandardCharsets.UTF_8));
        hash[6] = (byte) ((hash[6] & 0x0f) | 0x50); // version 5
        hash[8] = (byte) ((hash[8] & 0x3f) | 0x80); // IETF variant
        ByteBuffer bytes = ByteBuffer.wrap(hash, 0, 16);
        return new UUID(bytes.getLong(), bytes.getLong());
    }
}
