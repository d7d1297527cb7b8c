package io.teledrop.drop;

/**
 * What a client asks for when it creates a drop; every field may be null.
 *
 * @param slug the wanted slug, or null for a generated one
 */
public record NewDrop(String slug, String title, String description) {
}
