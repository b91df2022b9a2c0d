package kfp.store.mybatis;

import kfp.store.api.InvalidArgumentException;

/** Required values, checked before writing (column sizes: {@link StringColumn}). */
final class Limits {

    private Limits() {
    }

    static void required(String what, String value) {
        if (value == null || value.isEmpty()) {
            throw new InvalidArgumentException(what + " must not be empty");
        }
    }
}
