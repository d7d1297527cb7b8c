package io.teledrop.it.server;

import io.teledrop.it.TestUploads;
import io.teledrop.it.TestUploads.TestFile;
import io.teledrop.drop.Uploads;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.teledrop.drop.Access;
import io.teledrop.drop.DropService;
import io.teledrop.drop.NewDrop;
import io.teledrop.drop.Permission;
import io.teledrop.drop.TooManyAttemptsException;
import io.teledrop.drop.Unlocked;
import io.teledrop.drop.WrongPasswordException;
import io.teledrop.it.Deployments;
import io.teledrop.storage.BlobStore;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.security.SecureRandom;
import java.util.Base64;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;
import java.util.Set;
import java.util.UUID;
import javax.naming.InitialContext;
import javax.sql.DataSource;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Drop passwords inside the server, through the service and the data source (issue 14): hashes name their
 * parameters and old ones are replaced at the next right password; the guessing limit lives in the
 * database, opens again when its window has passed, and its rows are purged or go with their drop.
 */
@ExtendWith(ArquillianExtension.class)
class DropPasswordsIT {

    private static final String PASSWORD = "correct horse battery staple";
    private static final Access ADMIN = new Access(null, Set.of(Permission.ADMIN));

    @Inject
    DropService drops;

    @Inject
    Uploads uploads;

    @Inject
    BlobStore blobs;

    @Deployment
    static WebArchive deployment() {
        return Deployments.teledrop().addClass(DropPasswordsIT.class);
    }

    private static Connection connect() throws Exception {
        DataSource dataSource = InitialContext.doLookup("jdbc/teledrop");
        return dataSource.getConnection();
    }

    private String protectedDrop() throws Exception {
        String slug = "pw-" + UUID.randomUUID().toString().substring(0, 8);
        TestUploads.create(uploads, new NewDrop(slug, null, null, null, null, PASSWORD), new TestFile("f.txt", new byte[] {1}));
        return slug;
    }

    /** {@code PBKDF2WithHmacSHA256:<iterations>:<salt>:<key>}, Base64, 32-byte salt and key: Pbkdf2PasswordHash's format. */
    private static String oldFormatHash(String password, int iterations) throws Exception {
        byte[] salt = new byte[32];
        new SecureRandom().nextBytes(salt);
        byte[] key = SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256")
                .generateSecret(new PBEKeySpec(password.toCharArray(), salt, iterations, 256)).getEncoded();
        return "PBKDF2WithHmacSHA256:" + iterations + ":" + Base64.getEncoder().encodeToString(salt) + ":" + Base64.getEncoder().encodeToString(key);
    }

    private static String storedHash(String slug) throws Exception {
        try (Connection connection = connect();
             PreparedStatement select = connection.prepareStatement("SELECT password_hash FROM drops WHERE slug = ?")) {
            select.setString(1, slug);
            try (ResultSet result = select.executeQuery()) {
                assertTrue(result.next());
                return result.getString(1);
            }
        }
    }

    private static int update(String sql, Object... values) throws Exception {
        try (Connection connection = connect(); PreparedStatement statement = connection.prepareStatement(sql)) {
            for (int i = 0; i < values.length; i++) {
                statement.setObject(i + 1, values[i]);
            }
            return statement.executeUpdate();
        }
    }

    private static int attemptRows(String slug) throws Exception {
        try (Connection connection = connect();
             PreparedStatement select = connection.prepareStatement("SELECT COUNT(*) FROM password_attempts a"
                     + " WHERE a.drop_id = (SELECT id FROM drops WHERE slug = ?)")) {
            select.setString(1, slug);
            try (ResultSet result = select.executeQuery()) {
                result.next();
                return result.getInt(1);
            }
        }
    }

    @Test
    void newPasswordsAreHashedAt600000IterationsAndOldHashesAreReplacedAtTheNextRightPassword() throws Exception {
        String slug = protectedDrop();
        String fresh = storedHash(slug);
        assertTrue(fresh.startsWith("PBKDF2WithHmacSHA256:600000:"), fresh);
        assertEquals(4, fresh.split(":").length, fresh);

        // The hash as Teledrop wrote it before issue 14 (Jakarta Security's format, 210 000 iterations), made here by hand.
        String old = oldFormatHash(PASSWORD, 210_000);
        assertEquals(1, update("UPDATE drops SET password_hash = ? WHERE slug = ?", old, slug));

        assertThrows(WrongPasswordException.class, () -> drops.unlock(slug, "not it", "198.51.100.1"));
        assertEquals(old, storedHash(slug), "a wrong password changes nothing");

        Unlocked unlocked = drops.unlock(slug, PASSWORD, "198.51.100.1");

        String rehashed = storedHash(slug);
        assertTrue(unlocked.token().length() > 10);
        assertTrue(rehashed.startsWith("PBKDF2WithHmacSHA256:600000:"), rehashed);
        assertNotEquals(old, rehashed);
        assertNotEquals(old.split(":")[2], rehashed.split(":")[2], "a new salt");
        // The new hash is the same password: it opens, a wrong one still does not, and it is not rehashed again.
        drops.unlock(slug, PASSWORD, "198.51.100.1");
        assertEquals(rehashed, storedHash(slug));
        assertThrows(WrongPasswordException.class, () -> drops.unlock(slug, "not it", "198.51.100.1"));
    }

    @Test
    void theLimitOpensAgainWhenItsWindowHasPassedAndOldRowsArePurged() throws Exception {
        String slug = protectedDrop();
        String client = "203.0.113.7";
        for (int i = 0; i < 5; i++) {
            assertThrows(WrongPasswordException.class, () -> drops.unlock(slug, "guess", client));
        }
        TooManyAttemptsException limited = assertThrows(TooManyAttemptsException.class, () -> drops.unlock(slug, PASSWORD, client));
        assertTrue(limited.retryAfter().compareTo(Duration.ZERO) > 0 && limited.retryAfter().compareTo(Duration.ofMinutes(15)) <= 0,
                limited.retryAfter().toString());
        // Another client still may: the drop's own limit (20) is not reached.
        drops.unlock(slug, PASSWORD, "203.0.113.8");
        assertEquals(3, attemptRows(slug), "the client, the other client, and everyone");

        // Fifteen minutes later (the rows' windows moved back instead of the clock forward).
        update("UPDATE password_attempts SET window_start = window_start - 900001 WHERE drop_id = (SELECT id FROM drops WHERE slug = ?)", slug);
        drops.unlock(slug, PASSWORD, client);
        assertThrows(WrongPasswordException.class, () -> drops.unlock(slug, "guess", client));

        update("UPDATE password_attempts SET window_start = window_start - 900001 WHERE drop_id = (SELECT id FROM drops WHERE slug = ?)", slug);
        drops.sweep();
        assertEquals(0, attemptRows(slug), "windows that have passed are purged by the sweep");
    }

    @Test
    void attemptsGoWithTheirDropAndDoNotCarryOverToANewDropUnderItsSlug() throws Exception {
        String slug = protectedDrop();
        String client = "203.0.113.9";
        for (int i = 0; i < 5; i++) {
            assertThrows(WrongPasswordException.class, () -> drops.unlock(slug, "guess", client));
        }
        String dropId;
        try (Connection connection = connect(); PreparedStatement select = connection.prepareStatement("SELECT id FROM drops WHERE slug = ?")) {
            select.setString(1, slug);
            try (ResultSet result = select.executeQuery()) {
                result.next();
                dropId = result.getString(1);
            }
        }

        drops.delete(slug, ADMIN);

        assertEquals(0, update("DELETE FROM password_attempts WHERE drop_id = ?", dropId), "the rows went with their drop");
        // A new drop under the slug starts with a clean slate, and its unlock works.
        TestUploads.create(uploads, new NewDrop(slug, null, null, null, null, PASSWORD), new TestFile("g.txt", new byte[] {2}));
        drops.unlock(slug, PASSWORD, client);
    }
}
