package io.teledrop.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class DataSizeTest {

    @ParameterizedTest(name = "''{0}'' = {1} bytes")
    @CsvSource(delimiter = '|', value = {
            "0             | 0",
            "1048576       | 1048576",
            "17B           | 17",
            "1KiB          | 1024",
            "512kib        | 524288",
            "8MiB          | 8388608",
            "10 GiB        | 10737418240",
            "2TiB          | 2199023255552",
            "1KB           | 1000",
            "5MB           | 5000000",
            "3gb           | 3000000000",
            "1TB           | 1000000000000",
            "' 64 MiB '    | 67108864",
            "'\t5MB\t'     | 5000000",
            "1 kIB         | 1024",
            "2 TIB         | 2199023255552",
            "9223372036854775807 | 9223372036854775807",
            "8388607TiB    | 9223370937343148032",
    })
    void parses(String text, long bytes) {
        assertEquals(bytes, DataSize.parse(text));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "ten", "1.5GiB", "-1", "1 GiBs", "GiB", "1 PiB", "9223372036854775807KiB", "99999999999999999999",
            "9223372036854775808", "8388608TiB", "10 GiB extra", "1 0", "1_000", "0x10", "١٢", "5 MB/s"})
    void refuses(String text) {
        assertThrows(IllegalArgumentException.class, () -> DataSize.parse(text));
    }

    @ParameterizedTest(name = "{0} bytes -> ''{1}''")
    @CsvSource({"0, 0 B", "1536, 1536 B", "1024, 1 KiB", "8388608, 8 MiB", "10737418240, 10 GiB", "1099511627776, 1 TiB"})
    void formats(long bytes, String text) {
        assertEquals(text, DataSize.format(bytes));
    }
}
