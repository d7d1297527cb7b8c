package io.teledrop.drop;

import java.util.List;

/** One page of drops, with the total number of matches so clients can page on. */
public record DropPage(List<DropView> items, long total, int page, int size) {
}
