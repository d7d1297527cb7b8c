package io.teledrop.drop;

import java.time.Instant;

/** Short-lived signed proof that someone knew a drop's password; scoped to that one drop. */
public interface UnlockTokens {

    String issue(String slug, Instant until);

    boolean valid(String token, String slug, Instant now);
}
