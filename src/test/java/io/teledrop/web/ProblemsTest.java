package io.teledrop.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.teledrop.storage.StorageException;
import jakarta.persistence.PersistenceException;
import java.io.IOException;
import java.net.ConnectException;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Which failures clients hear as 503 (a server Teledrop needs is away) rather than 500. */
class ProblemsTest {

    @ParameterizedTest(name = "SQL state {0}")
    @ValueSource(strings = {"08001", "08006", "08003", "57P01", "57P03", "53300"})
    void aDatabaseThatCannotBeReachedIsA503(String state) {
        Throwable wrapped = new PersistenceException("Exception [EclipseLink-4002]", new SQLException("gone", state));
        Problem problem = Problems.of(wrapped, "urn:test");

        assertEquals(503, problem.status());
        assertEquals(Problem.Kind.DATABASE_UNAVAILABLE.type(), problem.type());
        assertTrue(problem.detail().contains("nothing was stored or changed"), problem.detail());
    }

    @Test
    void aPoolThatFoundNoConnectionInTimeIsA503() {
        assertEquals(503, Problems.of(new RuntimeException(new SQLTransientConnectionException("timed out")), "urn:test").status());
    }

    @Test
    void aStorageServerThatIsDownOrFailingIsA503ButItsRefusalsAreNot() {
        assertEquals(Problem.Kind.STORAGE_UNAVAILABLE.type(),
                Problems.of(new java.io.UncheckedIOException(new StorageException(0, new ConnectException("refused"))), "urn:test").type());
        assertEquals(503, Problems.of(new StorageException(503, new IOException("SlowDown")), "urn:test").status());
        assertEquals(500, Problems.of(new StorageException(403, new IOException("AccessDenied")), "urn:test").status());
    }

    @Test
    void aFormWhoseViewHasExpiredIsTheUsersToRepeatNotA500() {
        Throwable wrapped = new jakarta.servlet.ServletException("View could not be restored",
                new jakarta.faces.application.ViewExpiredException("gone", "/admin/login.xhtml"));
        Problem problem = Problems.of(wrapped, "urn:test");

        assertEquals(400, problem.status());
        assertEquals(Problem.Kind.PAGE_EXPIRED.type(), problem.type());
    }

    @Test
    void otherDatabaseErrorsStayA500ThatRevealsNothing() {
        Problem problem = Problems.of(new PersistenceException(new SQLException("syntax error at or near", "42601")), "urn:test");

        assertEquals(500, problem.status());
        assertTrue(!problem.detail().contains("syntax"), problem.detail());
    }
}
