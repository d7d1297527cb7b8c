package io.teledrop.drop.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class SlugsTest {

    @Test
    void generatedSlugsHaveTheLengthAndNoLookAlikes() {
        for (int length : new int[] {4, 8, 64}) {
            for (int i = 0; i < 1000; i++) {
                String slug = Slugs.generate(length);
                assertEquals(length, slug.length());
                assertTrue(slug.chars().allMatch(c -> Slugs.ALPHABET.indexOf(c) >= 0), slug);
                assertTrue(slug.chars().noneMatch(c -> "01ilo".indexOf(c) >= 0), slug);
            }
        }
    }

    @Test
    void generatedSlugsDoNotRepeat() {
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < 10_000; i++) {
            assertTrue(seen.add(Slugs.generate(8)));
        }
    }

    @ParameterizedTest(name = "''{0}'' is accepted")
    @ValueSource(strings = {"q3-report", "My_Drop", "abc", "a1b", "a-very-long-but-still-acceptable-slug-of-exactly-sixty-four-char"})
    void acceptsChosenSlugs(String slug) {
        assertEquals(Optional.empty(), Slugs.problemWithChosen(slug));
    }

    @ParameterizedTest(name = "''{0}'' is refused: {1}")
    @CsvSource(delimiter = '|', value = {
            "ab                | characters long",
            "a b               | may hold only",
            "a/b               | may hold only",
            "../x              | may hold only",
            "x;drop table      | may hold only",
            "-abc              | may hold only",
            "abc-              | may hold only",
            "abc.def           | may hold only",
            "api               | reserved",
            "Admin             | reserved",
    })
    void refusesChosenSlugs(String slug, String why) {
        Optional<String> problem = Slugs.problemWithChosen(slug);
        assertTrue(problem.isPresent() && problem.get().contains(why), () -> slug + " -> " + problem);
    }

    @Test
    void refusesTooLongAndControlCharacters() {
        assertTrue(Slugs.problemWithChosen("x".repeat(65)).isPresent());
        assertTrue(Slugs.problemWithChosen("abc\u0000").isPresent());
        assertTrue(Slugs.problemWithChosen("abc\r\n").isPresent());
        assertTrue(Slugs.problemWithChosen("x".repeat(10_000)).isPresent());
    }

    @Test
    void canonicalFormIsLowerCaseAndRefusesNonSlugs() {
        assertEquals(Optional.of("q3-report"), Slugs.canonical("Q3-Report"));
        assertEquals(Optional.empty(), Slugs.canonical("../etc"));
        assertEquals(Optional.empty(), Slugs.canonical(""));
        assertEquals(Optional.empty(), Slugs.canonical(null));
        assertEquals(Optional.empty(), Slugs.canonical("x".repeat(65)));
    }

    @Test
    void generatedSlugsUseEveryLetterOfTheAlphabet() {
        Set<Integer> used = new HashSet<>();
        for (int i = 0; i < 10_000; i++) {
            Slugs.generate(8).chars().forEach(used::add);
        }
        // 80 000 draws from 31 letters: a letter that never shows up means the generator is biased.
        assertEquals(Slugs.ALPHABET.length(), used.size());
    }

    @Test
    void tooLongNamesTheLimits() {
        Optional<String> problem = Slugs.problemWithChosen("x".repeat(65));
        assertTrue(problem.isPresent() && problem.get().contains("3 to 64 characters long"), () -> String.valueOf(problem));
        assertEquals(Optional.empty(), Slugs.problemWithChosen("x".repeat(64)));
    }
}
