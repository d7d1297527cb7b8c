package io.teledrop.drop.internal;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.SQLException;
import org.junit.jupiter.api.Test;

/** Recognising "the slug is taken" in the words of SQLite and of PostgreSQL. */
class UniqueViolationTest {

    @Test
    void sqliteUniqueFailureOnSlug() {
        SQLException sqlite = new SQLException("[SQLITE_CONSTRAINT_UNIQUE] A UNIQUE constraint failed (UNIQUE constraint failed: drops.slug)");
        assertTrue(DefaultDropService.isUniqueViolationOn(new RuntimeException("wrapped", sqlite), "slug"));
    }

    @Test
    void postgresqlUniqueFailureOnSlug() {
        SQLException postgres = new SQLException("ERROR: duplicate key value violates unique constraint \"uk_drops_slug\"", "23505");
        assertTrue(DefaultDropService.isUniqueViolationOn(new RuntimeException(new RuntimeException(postgres)), "slug"));
    }

    @Test
    void otherFailuresAreNotSlugConflicts() {
        assertFalse(DefaultDropService.isUniqueViolationOn(new RuntimeException(new SQLException(
                "[SQLITE_CONSTRAINT_UNIQUE] A UNIQUE constraint failed (UNIQUE constraint failed: stored_files.storage_key)")), "slug"));
        assertFalse(DefaultDropService.isUniqueViolationOn(new RuntimeException(new SQLException("uk_drops_slug", "23503")), "slug"));
        assertFalse(DefaultDropService.isUniqueViolationOn(new RuntimeException("no SQL here: drops.slug"), "slug"));
    }

    @Test
    void theColumnMustBeTheOneAsked() {
        SQLException position = new SQLException(
                "[SQLITE_CONSTRAINT_UNIQUE] A UNIQUE constraint failed (UNIQUE constraint failed: stored_files.drop_id, stored_files.position)");
        assertTrue(DefaultDropService.isUniqueViolationOn(new RuntimeException(position), "position"));
        assertFalse(DefaultDropService.isUniqueViolationOn(new RuntimeException(position), "slug"));

        SQLException otherConstraint = new SQLException(
                "ERROR: duplicate key value violates unique constraint \"uk_api_keys_key_hash\"", "23505");
        assertFalse(DefaultDropService.isUniqueViolationOn(new RuntimeException(otherConstraint), "slug"));
    }

    @Test
    void sqlExceptionsWithoutAMessageOrStateAreNotConflicts() {
        assertFalse(DefaultDropService.isUniqueViolationOn(new SQLException(), "slug"));
        assertFalse(DefaultDropService.isUniqueViolationOn(new SQLException(null, "23505"), "slug"));
        assertFalse(DefaultDropService.isUniqueViolationOn(new SQLException("drops.slug is too long", "22001"), "slug"));
    }
}
