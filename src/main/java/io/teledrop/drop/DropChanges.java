package io.teledrop.drop;

import java.time.Instant;
import java.util.Optional;

/**
 * A partial update of a drop, with JSON merge-patch meaning: a null field is left as it is, an
 * {@code Optional.empty()} clears it.
 */
public record DropChanges(Optional<String> title, Optional<String> description, Optional<Instant> expires) {
}
