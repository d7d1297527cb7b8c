package io.teledrop.storage.s3;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class StagingHandleTest {

    @ParameterizedTest
    @ValueSource(strings = {"2~abc", "VXBsb2FkIElEIGZvciA2aWWpbmcncyBteS1tb3ZpZS5tMnRzIHVwbG9hZA--", "id;with=odd;characters"})
    void aHandleReadsBackAsWritten(String uploadId) {
        StagingHandle handle = StagingHandle.begun(uploadId).withPart(5L << 20, "\"a\"").withPart(5L << 20, "\"b\"").withTail("10485760-0a1b2c3d");

        assertEquals(handle, StagingHandle.parse(handle.format()));
        assertEquals("p=2;b=10485760;e=" + handle.fingerprint() + ";t=10485760-0a1b2c3d;u=" + uploadId, handle.format());
        assertEquals(StagingHandle.begun(uploadId), StagingHandle.parse(StagingHandle.begun(uploadId).format()));
    }

    @Test
    void theFingerprintFollowsTheEtagsInOrderWhateverTheirQuotes() {
        StagingHandle begun = StagingHandle.begun("u");

        assertEquals(begun.withPart(1, "\"a\"").withPart(1, "\"b\"").fingerprint(), begun.withPart(1, "a").withPart(1, "b").fingerprint());
        assertNotEquals(begun.withPart(1, "a").withPart(1, "b").fingerprint(), begun.withPart(1, "b").withPart(1, "a").fingerprint());
    }

    @Test
    void aPartTakesTheTailsPlace() {
        assertEquals(null, StagingHandle.begun("u").withTail("0-0a1b2c3d").withPart(7, "e").tail());
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "u=abc", "p=1;b=0;e=0000000000000000;t=-;u=x", "p=0;b=0;e=0000000000000000;t=-;u=",
            "p=0;b=0;e=0000000000000000;t=../x;u=x", "p=-1;b=0;e=0000000000000000;t=-;u=x"})
    void anythingElseIsNoHandle(String handle) {
        assertThrows(IllegalArgumentException.class, () -> StagingHandle.parse(handle));
    }
}
