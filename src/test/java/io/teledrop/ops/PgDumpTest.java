package io.teledrop.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class PgDumpTest {

    @TempDir
    Path folder;

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "jdbc:postgresql://db.internal:5433/teledrop                 | host=db.internal port=5433 dbname=teledrop",
            "jdbc:postgresql://db.internal/teledrop                      | host=db.internal port=5432 dbname=teledrop",
            "jdbc:postgresql://a:5432,b:5433/teledrop                    | host=a,b port=5432,5433 dbname=teledrop",
            "jdbc:postgresql://[::1]:6000/td                             | host=::1 port=6000 dbname=td",
            "jdbc:postgresql://[::1]/td                                  | host=::1 port=5432 dbname=td",
            "jdbc:postgresql:teledrop                                    | host=localhost port=5432 dbname=teledrop",
            "jdbc:postgresql://db/tele%20drop?sslmode=verify-full&sslrootcert=/etc/ca.pem | host=db port=5432 dbname=tele drop sslmode=verify-full sslrootcert=/etc/ca.pem",
            "jdbc:postgresql://db/teledrop?ssl=true                      | host=db port=5432 dbname=teledrop sslmode=verify-full",
            "jdbc:postgresql://db/teledrop?ssl=true&sslmode=require      | host=db port=5432 dbname=teledrop sslmode=require",
            "jdbc:postgresql://db/teledrop?connectTimeout=7&ApplicationName=x | host=db port=5432 dbname=teledrop connect_timeout=7",
            "jdbc:postgresql://db/teledrop?ssl=true&sslfactory=org.postgresql.ssl.NonValidatingFactory | host=db port=5432 dbname=teledrop sslmode=require",
            "jdbc:postgresql://db/teledrop?sslcert=/c.crt&sslkey=/c.pk8        | host=db port=5432 dbname=teledrop",
            "jdbc:postgresql://a,b/teledrop?targetServerType=primary           | host=a,b port=5432,5432 dbname=teledrop target_session_attrs=primary",
            "jdbc:postgresql://a,b/teledrop?targetServerType=preferSecondary   | host=a,b port=5432,5432 dbname=teledrop target_session_attrs=prefer-standby",
            "jdbc:postgresql:///teledrop                                       | host=localhost port=5432 dbname=teledrop",
            "jdbc:postgresql://db:5433/                                        | host=db port=5433",
    })
    void aJdbcUrlBecomesLibpqParameters(String jdbcUrl, String expected) {
        Map<String, String> connection = PgDump.connection(jdbcUrl);

        StringBuilder actual = new StringBuilder();
        connection.forEach((k, v) -> actual.append(actual.length() == 0 ? "" : " ").append(k).append('=').append(v));
        assertEquals(expected, actual.toString());
    }

    @Test
    void anotherDatabasesUrlIsRefusedWithoutItsParameters() {
        IllegalArgumentException error = assertThrows(IllegalArgumentException.class,
                () -> PgDump.connection("jdbc:sqlite:/srv/teledrop.db?password=hunter2"));

        assertFalse(error.getMessage().contains("hunter2"), error.getMessage());
    }

    @Test
    void thePasswordGoesIntoTheEnvironmentNeverOntoTheCommandLine() {
        PgDump.Invocation invocation = PgDump.invocation("pg_dump", "jdbc:postgresql://db/teledrop?password=from-url", "teledrop",
                Optional.of("s3cret"), Path.of("/backups/x/teledrop.pgdump"));

        assertEquals(List.of("pg_dump", "--format=custom", "--no-password", "--file=/backups/x/teledrop.pgdump",
                "--dbname=host='db' port='5432' dbname='teledrop' user='teledrop' application_name='teledrop-backup'"), invocation.command());
        assertEquals(Map.of("PGPASSWORD", "s3cret"), invocation.environment());
        assertFalse(String.join(" ", invocation.command()).contains("s3cret"));
        assertFalse(String.join(" ", invocation.command()).contains("from-url"));
    }

    @Test
    void aPasswordInTheUrlIsUsedWhenNoneIsConfigured() {
        PgDump.Invocation invocation = PgDump.invocation("pg_dump", "jdbc:postgresql://db/teledrop?user=u&password=from%20url", null,
                Optional.empty(), Path.of("/b/teledrop.pgdump"));

        assertEquals(Map.of("PGPASSWORD", "from url"), invocation.environment());
        assertTrue(invocation.command().get(4).contains("user='u'"), invocation.command().toString());
    }

    @Test
    void withoutAPasswordLibpqsOwnSourcesApply() {
        PgDump.Invocation invocation = PgDump.invocation("pg_dump", "jdbc:postgresql://db/teledrop", "teledrop", Optional.empty(), Path.of("/b/f"));

        assertEquals(Map.of(), invocation.environment());
    }

    @Test
    void valuesAreQuotedForLibpq() {
        assertEquals("'it\\'s'", PgDump.quote("it's"));
        assertEquals("'a\\\\b c'", PgDump.quote("a\\b c"));
    }

    @Test
    void aFailureIsNamedWithoutTheCommandsOutputWhichGoesToTheLog() throws IOException {
        Path errors = folder.resolve("errors");
        PgDump.Invocation failing = new PgDump.Invocation(List.of("bash", "-c", "echo 'pg_dump: error: connection to server at \"10.1.2.3\" failed' >&2; exit 1"), Map.of());
        List<String> logged = new java.util.concurrent.CopyOnWriteArrayList<>();
        java.util.logging.Logger log = java.util.logging.Logger.getLogger(PgDump.class.getName());
        java.util.logging.Handler handler = new java.util.logging.Handler() {
            @Override
            public void publish(java.util.logging.LogRecord record) {
                logged.add(record.getLevel() + " " + record.getMessage());
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        log.addHandler(handler);
        Set<Process> running = new java.util.HashSet<>();
        try {
            IOException error = assertThrows(IOException.class, () -> PgDump.run(failing, errors, running));

            assertEquals("bash exited with 1 (its messages are in the server's log)", error.getMessage());
            assertEquals(List.of("SEVERE bash exited with 1: pg_dump: error: connection to server at \"10.1.2.3\" failed"), logged);
            assertFalse(Files.exists(errors), "the error output is removed");
            assertEquals(Set.of(), running);
        } finally {
            log.removeHandler(handler);
        }
    }

    @Test
    void aDumpIsKnownWhileItRunsAndGetsNoneOfTheServersSecrets() throws Exception {
        Path out = folder.resolve("env");
        Set<Process> running = java.util.concurrent.ConcurrentHashMap.newKeySet();
        List<Integer> seen = new java.util.concurrent.CopyOnWriteArrayList<>();
        // The test JVM's environment stands in for the server's: whatever is not libpq's, PATH, HOME or the locale stays out.
        PgDump.Invocation dump = new PgDump.Invocation(List.of("bash", "-c", "env > " + out + "; sleep 0.3"), Map.of("PGPASSWORD", "s3cret"));
        Thread watcher = new Thread(() -> {
            while (seen.isEmpty() && !Thread.currentThread().isInterrupted()) {
                if (!running.isEmpty()) {
                    seen.add(running.size());
                }
                Thread.onSpinWait();
            }
        });
        watcher.start();
        PgDump.run(dump, folder.resolve("errors"), running);
        watcher.join(5000);

        assertEquals(List.of(1), seen, "the running dump is known while it runs");
        assertEquals(Set.of(), running, "and forgotten after");
        List<String> names = Files.readAllLines(out).stream().map(line -> line.substring(0, Math.max(0, line.indexOf('=')))).filter(n -> !n.isEmpty()).toList();
        assertTrue(names.contains("PGPASSWORD") && names.contains("PATH"), names.toString());
        for (String name : names) {
            assertTrue(name.matches("PG[A-Z_]*|PATH|HOME|USER|LANG|LC_[A-Z_]+|TZ|TMPDIR|PWD|SHLVL|_"), "not passed on: " + name);
        }
    }

    @Test
    void aMissingCommandSaysWhatToInstall() {
        PgDump.Invocation missing = new PgDump.Invocation(List.of(folder.resolve("no-such-pg_dump").toString()), Map.of());

        IOException error = assertThrows(IOException.class, () -> PgDump.run(missing, folder.resolve("errors"), new java.util.HashSet<>()));

        assertTrue(error.getMessage().contains("postgresql-client") && error.getMessage().contains("teledrop.backup.pg-dump"), error.getMessage());
    }

    @Test
    void theEnvironmentReachesTheCommand() throws IOException {
        Path out = folder.resolve("out");
        PgDump.run(new PgDump.Invocation(List.of("bash", "-c", "printf %s \"$PGPASSWORD\" > " + out), Map.of("PGPASSWORD", "s3cret")), folder.resolve("errors"),
                new java.util.HashSet<>());

        assertEquals("s3cret", Files.readString(out));
    }
}
