package io.teledrop.drop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class FileNamesTest {

    @ParameterizedTest(name = "''{0}'' -> ''{1}''")
    @CsvSource(delimiter = '|', value = {
            "report.pdf                  | report.pdf",
            "../../etc/passwd            | passwd",
            "C:\\Users\\x\\evil.exe      | evil.exe",
            ".bashrc                     | bashrc",
            "..                          | file",
            "'   '                       | file",
            "''                          | file",
            "a\"b;c.txt                  | a\"b;c.txt",
            "dir/                        | file",
    })
    void sanitizes(String given, String expected) {
        assertEquals(expected, FileNames.sanitize(given));
    }

    @Test
    void removesControlAndBidiCharacters() {
        assertEquals("ab.txt", FileNames.sanitize("a\r\nb.txt"));
        assertEquals("ab.txt", FileNames.sanitize("a\u0000b.txt"));
        assertEquals("ab.txt", FileNames.sanitize("a\u007fb\u0085.txt"));
        // "invoice\u202Etxt.exe" displays as "invoiceexe.txt": the override must go.
        assertEquals("invoicetxt.exe", FileNames.sanitize("invoice\u202Etxt.exe"));
        assertEquals("ab", FileNames.sanitize("a\u2066b\u2069"));
        assertEquals("file", FileNames.sanitize(null));
    }

    @Test
    void keepsEmojiAndNormalizesToNfc() {
        assertEquals("party 🎉.png", FileNames.sanitize("party 🎉.png"));
        assertEquals("caf\u00e9.txt", FileNames.sanitize("cafe\u0301.txt"));
    }

    @Test
    void cutsLongNamesKeepingTheExtension() {
        String name = FileNames.sanitize("x".repeat(300) + ".tar.gz");

        assertEquals(FileNames.MAX_LENGTH, name.codePointCount(0, name.length()));
        assertTrue(name.endsWith(".gz"), name);
        String emoji = FileNames.sanitize("🎉".repeat(300) + ".txt");
        assertEquals(FileNames.MAX_LENGTH, emoji.codePointCount(0, emoji.length()));
        assertTrue(emoji.endsWith("🎉.txt"), emoji);
    }

    @Test
    void aNameOfThreeHundredCharactersKeepsItsExtension() {
        assertEquals("x".repeat(251) + ".pdf", FileNames.sanitize("x".repeat(296) + ".pdf"));
        assertEquals("x".repeat(255), FileNames.sanitize("x".repeat(300)));
        assertEquals("x".repeat(255), FileNames.sanitize("x".repeat(255)));
    }

    @Test
    void theLastSeparatorOfEitherKindEndsTheDirectoryPart() {
        assertEquals("evil.sh", FileNames.sanitize("dir/sub\\evil.sh"));
        assertEquals("evil.sh", FileNames.sanitize("dir\\sub/evil.sh"));
        assertEquals("passwd", FileNames.sanitize("..\u202E/..\u0000/etc/passwd"));
    }
}
