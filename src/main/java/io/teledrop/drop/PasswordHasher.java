package io.teledrop.drop;

/** Slow, salted hashing of drop passwords; implemented outside the domain (see the security package). */
public interface PasswordHasher {

    String hash(char[] password);

    boolean verify(char[] password, String hash);
}
