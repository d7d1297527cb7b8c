package io.teledrop.drop.internal;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import jakarta.transaction.Transactional;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

/**
 * The guessing limit of drop passwords, kept in the database ({@code password_attempts}) so that it is
 * exact whatever the parallelism and shared by every server of a cluster: at most {@link #PER_CLIENT}
 * passwords checked per client and drop, and {@link #PER_DROP} per drop from everyone, in a fixed window of
 * {@link #WINDOW} that starts with the first attempt. An attempt is reserved <em>before</em> its password
 * is checked, by one conditional upsert per counter in one transaction (both or neither); a right password
 * gives its reservation back, so only wrong ones use the limit up. Rows belong to the drop's id, not its
 * slug, and go with the drop (ON DELETE CASCADE); rows whose window has passed are purged by the sweep.
 * Thread-safe.
 */
// Unannotated methods read in a transaction, the caller's or their own (why: ReadTransaction); one they join is not doomed by an exception they let pass.
@Transactional(dontRollbackOn = RuntimeException.class)
@ApplicationScoped
class PasswordAttempts {

    static final int PER_CLIENT = 5;
    static final int PER_DROP = 20;
    static final Duration WINDOW = Duration.ofMinutes(15);
    /** The {@code client} of the per-drop counter; no client key can be this ({@link #clientKey}). */
    static final String EVERYONE = "*";
    private static final int MAX_CLIENT_LENGTH = 64;

    /**
     * Adds one to the counter of ({@code dropId}, {@code client}) if its window holds fewer than {@code limit}
     * attempts, or starts a new window at {@code now} if the old one has passed; the row count says whether it
     * did (SQLite and PostgreSQL both answer 0 when the DO UPDATE's WHERE is false). Standard enough to run
     * unchanged on both.
     */
    private static final String RESERVE = "INSERT INTO password_attempts (drop_id, client, window_start, attempts) VALUES (?, ?, ?, 1)"
            + " ON CONFLICT (drop_id, client) DO UPDATE SET"
            + " attempts = CASE WHEN password_attempts.window_start <= ? THEN 1 ELSE password_attempts.attempts + 1 END,"
            + " window_start = CASE WHEN password_attempts.window_start <= ? THEN ? ELSE password_attempts.window_start END"
            + " WHERE password_attempts.window_start <= ? OR password_attempts.attempts < ?";

    @PersistenceContext(unitName = "teledrop")
    EntityManager em;

    /** An attempt held in both counters, to be given back if the password was right. */
    record Reservation(String dropId, String client, long clientWindow, long dropWindow) {
    }

    /** Thrown inside {@link #reserve} to roll back a half-made reservation. */
    static final class LimitReached extends RuntimeException {
        LimitReached() {
            super(null, null, false, false);
        }
    }

    /**
     * Reserves one attempt for {@code client} on the drop, in both counters or in neither. The transaction
     * starts with its writes (SQLite cannot upgrade a reading transaction to a writing one under
     * contention); the windows are read back after them.
     *
     * @throws LimitReached if either counter is full (nothing was reserved)
     */
    @Transactional(rollbackOn = LimitReached.class)
    Reservation reserve(String dropId, String client, Instant now) {
        long start = now.toEpochMilli();
        long passed = now.minus(WINDOW).toEpochMilli();
        if (upsert(dropId, client, start, passed, PER_CLIENT) == 0 || upsert(dropId, EVERYONE, start, passed, PER_DROP) == 0) {
            throw new LimitReached();
        }
        return new Reservation(dropId, client, windowOf(dropId, client), windowOf(dropId, EVERYONE));
    }

    /** Gives a reservation back (the password was right); a window that has since been replaced is left alone. */
    @Transactional
    void release(Reservation reservation) {
        giveBack(reservation.dropId(), reservation.client(), reservation.clientWindow());
        giveBack(reservation.dropId(), EVERYONE, reservation.dropWindow());
    }

    /** How long after {@code now} {@code client} may try the drop again: the later end of its full windows (1 s to one window). */
    Duration waitFor(String dropId, String client, Instant now) {
        long passed = now.minus(WINDOW).toEpochMilli();
        @SuppressWarnings("unchecked")
        List<Object[]> rows = em.createNativeQuery("SELECT client, window_start, attempts FROM password_attempts"
                        + " WHERE drop_id = ? AND (client = ? OR client = ?) AND window_start > ?")
                .setParameter(1, dropId).setParameter(2, client).setParameter(3, EVERYONE).setParameter(4, passed)
                .getResultList();
        Optional<Long> end = rows.stream()
                .filter(row -> ((Number) row[2]).intValue() >= (EVERYONE.equals(row[0]) ? PER_DROP : PER_CLIENT))
                .map(row -> ((Number) row[1]).longValue() + WINDOW.toMillis())
                .max(Long::compare);
        Duration wait = end.map(e -> Duration.ofMillis(e - now.toEpochMilli())).orElse(Duration.ZERO);
        // Never less than a second, never more than a window (another server's clock may run ahead of ours).
        return wait.compareTo(Duration.ofSeconds(1)) < 0 ? Duration.ofSeconds(1) : wait.compareTo(WINDOW) > 0 ? WINDOW : wait;
    }

    /** Deletes the rows whose window has passed (rows of deleted drops went with them); returns how many. */
    @Transactional
    int purge(Instant now) {
        return em.createNativeQuery("DELETE FROM password_attempts WHERE window_start <= ?")
                .setParameter(1, now.minus(WINDOW).toEpochMilli()).executeUpdate();
    }

    /**
     * The key a client's attempts are counted under: its address, an IPv6 address by its /64 network (one
     * host usually holds a whole /64, so counting single addresses would let it guess without limit), and
     * anything too long for the column as its SHA-256.
     */
    static String clientKey(String address) {
        if (address == null || address.isBlank()) {
            return "unknown";
        }
        String key = address.strip();
        if (key.indexOf(':') >= 0 && !key.startsWith("[")) {
            key = ipv6Network(key).orElse(key);
        }
        if (key.length() > MAX_CLIENT_LENGTH || EVERYONE.equals(key)) {
            return sha256(key);
        }
        return key;
    }

    private int upsert(String dropId, String client, long start, long passed, int limit) {
        return em.createNativeQuery(RESERVE)
                .setParameter(1, dropId).setParameter(2, client).setParameter(3, start)
                .setParameter(4, passed).setParameter(5, passed).setParameter(6, start)
                .setParameter(7, passed).setParameter(8, limit)
                .executeUpdate();
    }

    private long windowOf(String dropId, String client) {
        Object value = em.createNativeQuery("SELECT window_start FROM password_attempts WHERE drop_id = ? AND client = ?")
                .setParameter(1, dropId).setParameter(2, client).getSingleResult();
        return ((Number) value).longValue();
    }

    private void giveBack(String dropId, String client, long window) {
        em.createNativeQuery("UPDATE password_attempts SET attempts = attempts - 1"
                        + " WHERE drop_id = ? AND client = ? AND window_start = ? AND attempts > 0")
                .setParameter(1, dropId).setParameter(2, client).setParameter(3, window).executeUpdate();
    }

    /** The first four groups of an IPv6 literal ("2001:db8:1:2::/64"), or empty if it is not one. */
    private static Optional<String> ipv6Network(String literal) {
        String address = literal;
        int zone = address.indexOf('%');
        if (zone >= 0) {
            address = address.substring(0, zone);
        }
        if (!address.matches("[0-9A-Fa-f:.]+")) {
            return Optional.empty();
        }
        try {
            // A literal of hex digits and colons is parsed, never looked up in DNS.
            byte[] bytes = java.net.InetAddress.getByName(address).getAddress();
            if (bytes.length != 16) {
                return Optional.of(java.net.InetAddress.getByAddress(bytes).getHostAddress());
            }
            StringBuilder network = new StringBuilder();
            for (int i = 0; i < 8; i += 2) {
                network.append(Integer.toHexString(((bytes[i] & 0xff) << 8) | (bytes[i + 1] & 0xff))).append(':');
            }
            return Optional.of(network.append(":/64").toString());
        } catch (java.net.UnknownHostException e) {
            return Optional.empty();
        }
    }

    private static String sha256(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-256", e);
        }
    }
}
