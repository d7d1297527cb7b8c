/**
 * The domain: drops, their files and API keys ({@code Drop}, {@code StoredFile}, {@code ApiKey}), the use cases
 * ({@link io.teledrop.drop.Uploads} and its {@code UploadSession}, which stage files and commit them as a drop;
 * {@link io.teledrop.drop.DropService} for everything after; {@code ApiKeyService}), the views callers get, and
 * the {@code TeledropException} tree that the web layer turns into answers. Imports JPA, CDI and
 * {@code storage}'s contract, never servlet, REST or AWS types, nor storage implementations. Start with
 * {@code Uploads}, then {@code DropService}.
 */
package io.teledrop.drop;
