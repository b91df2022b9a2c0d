package kfp.server.convert;

import com.google.protobuf.Timestamp;

/**
 * The stores keep times as Unix seconds; the API sends {@code google.protobuf.Timestamp}. As in
 * KFP's converters a time is always sent, so "never" is the epoch ({@code 1970-01-01T00:00:00Z}).
 */
public final class Timestamps {

    private Timestamps() {
    }

    public static Timestamp ofSeconds(long seconds) {
        return Timestamp.newBuilder().setSeconds(Math.max(seconds, 0)).build();
    }

    /** Seconds of a timestamp; an unset one is 0. */
    public static long seconds(Timestamp t) {
        return t == null ? 0 : t.getSeconds();
    }
}
