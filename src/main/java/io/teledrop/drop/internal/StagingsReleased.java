package io.teledrop.drop.internal;

import io.teledrop.storage.Staging;
import java.util.List;

/** Fired inside a transaction that removed incomplete uploads: their staged bytes go once it commits. */
record StagingsReleased(List<Staging> stagings) {
}
