package io.teledrop.security;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Which stored password hashes are replaced at the next right password: those weaker than today's parameters. */
class Pbkdf2DropPasswordsTest {

    private static final String SALT_32 = "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=";
    private static final String KEY_32 = "BBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBA=";
    private static final String SALT_16 = "AAAAAAAAAAAAAAAAAAAAAA==";

    @ParameterizedTest(name = "{0} -> weaker: {1}")
    @CsvSource(delimiter = '|', value = {
            "PBKDF2WithHmacSHA256:600000:" + SALT_32 + ":" + KEY_32 + " | false",
            "PBKDF2WithHmacSHA256:1000000:" + SALT_32 + ":" + KEY_32 + " | false",
            "PBKDF2WithHmacSHA256:210000:" + SALT_32 + ":" + KEY_32 + " | true",
            "PBKDF2WithHmacSHA256:599999:" + SALT_32 + ":" + KEY_32 + " | true",
            "PBKDF2WithHmacSHA1:600000:" + SALT_32 + ":" + KEY_32 + " | true",
            "PBKDF2WithHmacSHA256:600000:" + SALT_16 + ":" + KEY_32 + " | true",
            "PBKDF2WithHmacSHA256:600000:" + SALT_32 + ":" + SALT_16 + " | true",
            "PBKDF2WithHmacSHA256:many:" + SALT_32 + ":" + KEY_32 + " | false",
            "PBKDF2WithHmacSHA256:600000:not base64!:" + KEY_32 + " | false",
            "garbage | false",
    })
    void decides(String hash, boolean weaker) {
        assertEquals(weaker, Pbkdf2DropPasswords.isWeaker(hash.strip()));
    }
}
