package io.teledrop.drop.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** A limit's copies together never add up to one more whole file, whatever the size and limit. */
class GrantBudgetTest {

    @ParameterizedTest(name = "{0} bytes, limit {1}")
    @CsvSource({
            "0, 1", "1, 1", "2, 1", "1000, 1", "1000, 2", "1000, 999", "1000, 1000", "1000, 1000000",
            "6291777, 5", "1073741824, 1", "1073741824, 3", "10737418240, 1000000", "9223372036854775, 1000000"})
    void allCopiesOfTheLimitStayShortOfOneMore(long size, int limit) {
        long budget = DropDownloads.grantBudget(size, limit);

        assertTrue(budget >= size, "a copy can always be sent whole");
        assertTrue((budget - size) * limit < Math.max(1, size), "limit x allowance < one copy");
        assertTrue(budget - size <= 64L << 20, "the allowance is capped");
    }

    @ParameterizedTest
    @CsvSource({"1000, 1, 1999", "1000, 2, 1499", "1000, 1000, 1000", "1000, 1001, 1000", "0, 3, 0"})
    void budgets(long size, int limit, long expected) {
        assertEquals(expected, DropDownloads.grantBudget(size, limit));
    }
}
