package kfp.store.list;

/** Filter operations of KFP's v1 {@code Op} and v2 {@code Operation} enums (same names and numbers). */
public enum Operation {
    EQUALS(1),
    NOT_EQUALS(2),
    GREATER_THAN(3),
    GREATER_THAN_EQUALS(5),
    LESS_THAN(6),
    LESS_THAN_EQUALS(7),
    IN(8),
    IS_SUBSTRING(9);

    final int number;

    Operation(int number) {
        this.number = number;
    }

    /** By enum name or number, as protojson accepts them; UNKNOWN / OPERATION_UNSPECIFIED (0) are not operations. */
    static Operation parse(String name) {
        for (Operation o : values()) {
            if (o.name().equals(name)) {
                return o;
            }
        }
        return null;
    }

    static Operation of(int number) {
        for (Operation o : values()) {
            if (o.number == number) {
                return o;
            }
        }
        return null;
    }

    boolean takesList() {
        return this == IN;
    }
}
