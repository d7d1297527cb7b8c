package io.teledrop.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.Set;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class BlobKeysTest {

    static Stream<Arguments> keys() {
        return Stream.of(
                // key, valid
                Arguments.of("a", true),
                Arguments.of("ab/0123456789abcdef0123456789abcdef", true),
                Arguments.of("A/b/C/d", true),
                Arguments.of("file.txt", true),
                Arguments.of("a..b", true),
                Arguments.of("a-b_c.d", true),
                Arguments.of("9", true),
                Arguments.of("a".repeat(255), true),
                Arguments.of("a".repeat(256), false),
                Arguments.of("a".repeat(255) + "/" + "b".repeat(255), true),
                Arguments.of("a".repeat(255) + "/" + "b".repeat(255) + "/c", false),
                Arguments.of(null, false),
                Arguments.of("", false),
                Arguments.of("/", false),
                Arguments.of("/etc/passwd", false),
                Arguments.of("a/", false),
                Arguments.of("a//b", false),
                Arguments.of("..", false),
                Arguments.of(".", false),
                Arguments.of("../x", false),
                Arguments.of("a/../x", false),
                Arguments.of("a/./x", false),
                Arguments.of(".tmp/x", false),
                Arguments.of(".hidden", false),
                Arguments.of("-flag", false),
                Arguments.of("_a", false),
                Arguments.of("a\\b", false),
                Arguments.of("..\\x", false),
                Arguments.of("a\u0000b", false),
                Arguments.of("a b", false),
                Arguments.of("a\nb", false),
                Arguments.of("a:b", false),
                Arguments.of("C:/x", false),
                Arguments.of("é", false),
                Arguments.of("a/~", false));
    }

    @ParameterizedTest(name = "[{index}] {0} valid={1}")
    @MethodSource("keys")
    void keyShape(String key, boolean valid) {
        assertEquals(valid, BlobKeys.isValid(key));
        if (valid) {
            assertSame(key, BlobKeys.requireValid(key));
        } else {
            assertThrows(IllegalArgumentException.class, () -> BlobKeys.requireValid(key));
        }
    }

    static Stream<Arguments> prefixes() {
        return Stream.of(
                // prefix, valid
                Arguments.of("", true),
                Arguments.of("a", true),
                Arguments.of("ab/", true),
                Arguments.of("ab/cd", true),
                Arguments.of("ab/cd/", true),
                Arguments.of("a.", true),
                Arguments.of(null, false),
                Arguments.of("/", false),
                Arguments.of("//", false),
                Arguments.of("/a", false),
                Arguments.of("a//", false),
                Arguments.of("..", false),
                Arguments.of("../", false),
                Arguments.of("a/../", false),
                Arguments.of(".tmp", false),
                Arguments.of(".tmp/", false),
                Arguments.of("a\\", false),
                Arguments.of("a\u0000", false),
                Arguments.of("a".repeat(BlobKeys.MAX_LENGTH + 1), false));
    }

    @ParameterizedTest(name = "[{index}] {0} valid={1}")
    @MethodSource("prefixes")
    void prefixShape(String prefix, boolean valid) {
        assertEquals(valid, BlobKeys.isValidPrefix(prefix));
    }

    @Test
    void newKeysAreValidDistinctAndFannedOut() {
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < 1000; i++) {
            String key = BlobKeys.newKey();
            assertSame(key, BlobKeys.requireValid(key));
            assertEquals(key.substring(0, 2), key.substring(3, 5), "fan-out directory is the id's first two characters");
            assertEquals(2 + 1 + 32, key.length());
            assertTrue(seen.add(key), "duplicate key " + key);
        }
    }
}
