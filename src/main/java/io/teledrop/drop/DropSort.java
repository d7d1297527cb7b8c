package io.teledrop.drop;

import java.util.Arrays;
import java.util.Optional;

/** The orders a drop list can come in; {@link #parameter()} is the value clients send ({@code -} = descending). */
public enum DropSort {
    CREATED_DESC("-created", "d.createdAt DESC, d.slug"),
    CREATED_ASC("created", "d.createdAt, d.slug"),
    SLUG_ASC("slug", "d.slug"),
    SLUG_DESC("-slug", "d.slug DESC"),
    EXPIRES_ASC("expires", "d.expiresAt, d.slug"),
    EXPIRES_DESC("-expires", "d.expiresAt DESC, d.slug");

    private final String parameter;
    private final String orderBy;

    DropSort(String parameter, String orderBy) {
        this.parameter = parameter;
        this.orderBy = orderBy;
    }

    public String parameter() {
        return parameter;
    }

    /** The JPQL ORDER BY list, over alias {@code d}. */
    public String orderBy() {
        return orderBy;
    }

    public static Optional<DropSort> fromParameter(String value) {
        return Arrays.stream(values()).filter(s -> s.parameter.equals(value)).findFirst();
    }
}
