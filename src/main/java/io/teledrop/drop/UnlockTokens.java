package io.teledrop.drop;

import java.time.Instant;

/**
 * Short-lived signed proof that someone knew a drop's password. A token is bound to the drop's identity
 * (its id, a fresh UUID per drop, and its creation instant), never to its slug: once the drop is deleted
 * or replaced by a new drop under the same slug, its tokens open nothing.
 */
public interface UnlockTokens {

    String issue(String dropId, Instant dropCreated, Instant until);

    boolean valid(String token, String dropId, Instant dropCreated, Instant now);
}
