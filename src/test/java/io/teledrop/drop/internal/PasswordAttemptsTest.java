package io.teledrop.drop.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Which key a client's password attempts are counted under. */
class PasswordAttemptsTest {

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', value = {
            "203.0.113.7                              | 203.0.113.7",
            "' 203.0.113.7 '                          | 203.0.113.7",
            // A host usually holds a whole IPv6 /64: its addresses count as one client.
            "2001:db8:1:2:3:4:5:6                     | 2001:db8:1:2::/64",
            "2001:db8:1:2:ffff:ffff:ffff:ffff         | 2001:db8:1:2::/64",
            "2001:DB8:1:2::1%eth0                     | 2001:db8:1:2::/64",
            "0:0:0:0:0:0:0:1                          | 0:0:0:0::/64",
            "::ffff:192.0.2.1                         | 192.0.2.1",
            "''                                       | unknown",
            // Never the key of everyone's counter; never longer than the column.
            "*                                        | 684888c0ebb17f374298b65ee2807526c066094c701bcc7ebbe1c1095f494fc1",
            "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa | d66304b6180365e47c858f6c84d3da065caf4b3350c9f45277a1af82e3dbb055",
    })
    void keys(String address, String key) {
        assertEquals(key, PasswordAttempts.clientKey(address));
    }
}
