/**
 * The domain: drops, their files and API keys ({@code Drop}, {@code StoredFile}, {@code ApiKey}), the use cases
 * ({@link io.teledrop.drop.DropService}, {@code ApiKeyService}), the views callers get, and the
 * {@code TeledropException} tree that the web layer turns into answers. Imports JPA and CDI, never servlet, REST
 * or AWS types, nor storage implementations. Start with {@code DropService}.
 */
package io.teledrop.drop;
