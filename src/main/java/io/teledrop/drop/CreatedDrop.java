package io.teledrop.drop;

/** A drop just created, with its delete token: the only time the token is ever available. */
public record CreatedDrop(DropView drop, String deleteToken) {
}
