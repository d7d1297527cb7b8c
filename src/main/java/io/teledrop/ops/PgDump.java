package io.teledrop.ops;

import io.teledrop.config.BackupSettings;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.logging.Logger;
import java.util.regex.Pattern;

/**
 * A PostgreSQL database dumped by {@code pg_dump} in its custom format (compressed, restored with
 * {@code pg_restore}, one consistent snapshot however long it takes while uploads go on). The connection comes
 * from the data source's own JDBC URL and user, turned into a libpq connection string; a password goes into
 * {@code pg_dump}'s environment, never onto its command line (where {@code ps} would show it). Only the JDBC
 * parameters libpq knows by the same meaning are carried over (SSL mode and files, {@code options}, the connect
 * timeout); libpq's own environment variables ({@code PGSSLMODE}, {@code PGPASSFILE}, …) set for the server
 * reach {@code pg_dump} too.
 */
final class PgDump {

    /** Long enough for any Teledrop database; a dump that hangs (a lost connection) must not hold the backup forever. */
    static final Duration TIMEOUT = Duration.ofHours(1);
    private static final int ERROR_TAIL = 2000;
    private static final Logger LOG = Logger.getLogger(PgDump.class.getName());
    /** What pg_dump keeps of the server's environment: libpq's own variables, and what finding files and text needs. */
    private static final Pattern KEPT_ENVIRONMENT = Pattern.compile("PG[A-Z_]*|PATH|HOME|USER|LANG|LC_[A-Z_]+|TZ|TMPDIR");

    private PgDump() {
    }

    /** What {@code pg_dump} is started with: the command line and the variables added to its environment. */
    record Invocation(List<String> command, Map<String, String> environment) {
    }

    /**
     * How to dump the database at {@code jdbcUrl} as {@code user} into {@code file}.
     *
     * @param password the data source's password, if Teledrop knows it
     * @throws IllegalArgumentException if {@code jdbcUrl} is not a PostgreSQL JDBC URL
     */
    static Invocation invocation(String pgDump, String jdbcUrl, String user, Optional<String> password, Path file) {
        Map<String, String> connection = connection(jdbcUrl);
        Map<String, String> environment = new LinkedHashMap<>();
        String urlPassword = connection.remove("password");
        password.or(() -> Optional.ofNullable(urlPassword)).ifPresent(p -> environment.put("PGPASSWORD", p));
        if (user != null && !user.isEmpty()) {
            connection.put("user", user);
        }
        connection.putIfAbsent("application_name", "teledrop-backup");
        StringBuilder conninfo = new StringBuilder();
        connection.forEach((key, value) -> conninfo.append(conninfo.length() == 0 ? "" : " ").append(key).append('=').append(quote(value)));
        // --no-password: fail at once instead of waiting for a prompt nobody answers.
        return new Invocation(List.of(pgDump, "--format=custom", "--no-password", "--file=" + file, "--dbname=" + conninfo), environment);
    }

    /**
     * The libpq connection parameters a PostgreSQL JDBC URL names: {@code jdbc:postgresql://host[:port][,host[:port]…]/database?k=v&…},
     * or {@code jdbc:postgresql:database} (localhost). A password in the URL is returned under {@code password}.
     */
    static Map<String, String> connection(String jdbcUrl) {
        String prefix = "jdbc:postgresql:";
        if (jdbcUrl == null || !jdbcUrl.regionMatches(true, 0, prefix, 0, prefix.length())) {
            throw new IllegalArgumentException("not a PostgreSQL JDBC URL: " + (jdbcUrl == null ? null : jdbcUrl.replaceAll("\\?.*", "?…")));
        }
        String rest = jdbcUrl.substring(prefix.length());
        String query = "";
        int question = rest.indexOf('?');
        if (question >= 0) {
            query = rest.substring(question + 1);
            rest = rest.substring(0, question);
        }
        Map<String, String> connection = new LinkedHashMap<>();
        String database;
        if (rest.startsWith("//")) {
            String authority = rest.substring(2);
            int slash = authority.indexOf('/');
            database = slash < 0 ? "" : authority.substring(slash + 1);
            authority = slash < 0 ? authority : authority.substring(0, slash);
            List<String> hosts = new ArrayList<>();
            List<String> ports = new ArrayList<>();
            for (String address : authority.split(",")) {
                int colon = address.lastIndexOf(':');
                boolean hasPort = colon >= 0 && colon > address.lastIndexOf(']');
                String host = hasPort ? address.substring(0, colon) : address;
                host = host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
                hosts.add(host.isEmpty() ? "localhost" : host);
                ports.add(hasPort ? address.substring(colon + 1) : "5432");
            }
            connection.put("host", String.join(",", hosts));
            connection.put("port", String.join(",", ports));
        } else {
            database = rest.startsWith("/") ? rest.substring(1) : rest;
            connection.put("host", "localhost");
            connection.put("port", "5432");
        }
        if (!database.isEmpty()) {
            connection.put("dbname", decode(database));
        }
        Map<String, String> parameters = new LinkedHashMap<>();
        for (String pair : query.split("&")) {
            if (!pair.isEmpty()) {
                int equals = pair.indexOf('=');
                parameters.put(decode(equals < 0 ? pair : pair.substring(0, equals)), equals < 0 ? "" : decode(pair.substring(equals + 1)));
            }
        }
        // Client certificates are left out: the JDBC driver reads its key as PKCS-8 DER or PKCS-12, libpq as PEM
        // (set PGSSLCERT and PGSSLKEY for the server instead).
        for (String same : List.of("sslmode", "sslrootcert", "options", "user", "password")) {
            if (parameters.containsKey(same)) {
                connection.put(same, parameters.get(same));
            }
        }
        // The JDBC driver's ssl=true without a mode means verify-full (require with its non-validating factory).
        if (!connection.containsKey("sslmode") && "true".equalsIgnoreCase(parameters.get("ssl"))) {
            connection.put("sslmode", parameters.getOrDefault("sslfactory", "").endsWith("NonValidatingFactory") ? "require" : "verify-full");
        }
        if (parameters.containsKey("connectTimeout")) {
            connection.put("connect_timeout", parameters.get("connectTimeout"));
        }
        // Several hosts: dump the server the data source would use, not a standby that is behind it.
        String target = switch (parameters.getOrDefault("targetServerType", "any").toLowerCase(Locale.ROOT)) {
            case "primary", "master" -> "primary";
            case "secondary", "standby" -> "standby";
            case "prefersecondary", "preferstandby" -> "prefer-standby";
            default -> null;
        };
        if (target != null) {
            connection.put("target_session_attrs", target);
        }
        return connection;
    }

    /** A libpq connection-string value: single-quoted, with backslash and quote escaped. */
    static String quote(String value) {
        return "'" + value.replace("\\", "\\\\").replace("'", "\\'") + "'";
    }

    private static String decode(String text) {
        return URLDecoder.decode(text, StandardCharsets.UTF_8);
    }

    /**
     * Runs {@code invocation}, its error output into {@code errors} (removed afterwards) and, when it fails, into
     * the log; the exception's message names the failure without that output (it may name hosts and users, and
     * the message reaches the health check). {@code running} is told of the process while it runs, so that a
     * stopping application can end it.
     *
     * @throws IOException if {@code pg_dump} cannot be started, fails or takes longer than {@link #TIMEOUT}
     */
    static void run(Invocation invocation, Path errors, Set<Process> running) throws IOException {
        ProcessBuilder builder = new ProcessBuilder(invocation.command()).redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .redirectError(errors.toFile());
        // pg_dump needs libpq's variables, not the server's secrets.
        builder.environment().keySet().removeIf(name -> !KEPT_ENVIRONMENT.matcher(name).matches());
        builder.environment().putAll(invocation.environment());
        String command = invocation.command().get(0);
        Process process;
        try {
            process = builder.start();
        } catch (IOException e) {
            Files.deleteIfExists(errors);
            throw new IOException("Could not start " + command + " (" + BackupSettings.PG_DUMP
                    + "): install PostgreSQL's client tools of the server's major version or newer (Debian: postgresql-client), or name the command: " + e.getMessage(), e);
        }
        running.add(process);
        try {
            String failure;
            try {
                failure = !process.waitFor(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS) ? "did not finish within " + TIMEOUT
                        : process.exitValue() != 0 ? "exited with " + process.exitValue() : null;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new InterruptedIOException("interrupted while " + command + " ran");
            }
            if (failure != null) {
                String output = tail(errors);
                LOG.severe(() -> command + " " + failure + ": " + output);
                throw new IOException(command + " " + failure + " (its messages are in the server's log)");
            }
        } finally {
            // Ended before its output is read or its files removed; a stopped or failed dump must not linger.
            if (process.isAlive()) {
                process.destroyForcibly();
                try {
                    process.waitFor(10, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            running.remove(process);
            Files.deleteIfExists(errors);
        }
    }

    /** The end of what {@code pg_dump} wrote to its error output, on one line. */
    private static String tail(Path errors) {
        try {
            String text = Files.readString(errors, StandardCharsets.UTF_8).strip().replaceAll("\\s*\\R\\s*", " | ");
            return text.isEmpty() ? "(no message)" : text.length() > ERROR_TAIL ? "…" + text.substring(text.length() - ERROR_TAIL) : text;
        } catch (IOException e) {
            return "(its error output could not be read: " + e.getMessage() + ")";
        }
    }

    /** Whether a database product name is PostgreSQL's. */
    static boolean isPostgresql(String product) {
        return product.toLowerCase(Locale.ROOT).contains("postgresql");
    }
}
