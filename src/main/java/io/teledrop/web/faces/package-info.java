/**
 * Backing beans of the Faces pages ({@code @Named @ViewScoped}): upload, drop, delete and admin pages. They call
 * {@code DropService} and {@code ApiKeyService}, never JPA or storage. Start with {@code DropPageBean}.
 */
package io.teledrop.web.faces;
