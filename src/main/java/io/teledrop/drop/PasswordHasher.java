package io.teledrop.drop;

/**
 * Slow, salted hashing of drop passwords; implemented outside the domain (see the security package). A hash
 * names its algorithm and parameters, so hashes made with older parameters still verify and can be replaced.
 */
public interface PasswordHasher {

    /** The password hashed with today's algorithm and parameters. */
    String hash(char[] password);

    /** Whether {@code password} is the one {@code hash} was made from, with the parameters stored in it. */
    boolean verify(char[] password, String hash);

    /** Whether {@code hash} was made with weaker parameters than {@link #hash} uses today (then rehash it). */
    boolean needsRehash(String hash);
}
