package io.teledrop.drop;

import java.time.Instant;

/** The answer to a right password: a token for that drop, valid until {@code expires}. */
public record Unlocked(String token, Instant expires) {
}
