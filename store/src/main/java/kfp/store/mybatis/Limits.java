package kfp.store.mybatis;

import kfp.store.api.InvalidArgumentException;

/**
 * Column sizes checked before writing, so a value too long for its column is the caller's error
 * (InvalidArgument) on every database, instead of a truncation, a driver error, or success on
 * PostgreSQL where KFP's text columns have no limit but MySQL's have 255 characters.
 */
final class Limits {

    private Limits() {
    }

    static void check(String what, String value, int maxCharacters) {
        if (value != null && value.codePointCount(0, value.length()) > maxCharacters) {
            throw new InvalidArgumentException(what + " is longer than " + maxCharacters + " characters");
        }
    }

    static void required(String what, String value) {
        if (value == null || value.isEmpty()) {
            throw new InvalidArgumentException(what + " must not be empty");
        }
    }
}
