package kfp.store.list;

import com.fasterxml.jackson.databind.JsonNode;

/** Page tokens with any content and a valid check sum, for tests of what a forged token can reach. */
public final class SignedTokens {

    private SignedTokens() {
    }

    public static String sign(String model, String scope, String sort, boolean desc, JsonNode filter, String key,
            JsonNode sortValue) {
        return new PageToken(model, scope, sort, desc, filter, key, sortValue).encode();
    }
}
