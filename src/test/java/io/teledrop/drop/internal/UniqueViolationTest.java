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
        assertTrue(SqlErrors.isUniqueViolationOn(new RuntimeException("wrapped", sqlite), "slug"));
    }

    @Test
    void postgresqlUniqueFailureOnSlug() {
        SQLException postgres = new SQLException("ERROR: duplicate key value violates unique constraint \"uk_drops_slug\"", "23505");
        assertTrue(SqlErrors.isUniqueViolationOn(new RuntimeException(new RuntimeException(postgres)), "slug"));
    }

    @Test
    void otherFailuresAreNotSlugConflicts() {
        assertFalse(SqlErrors.isUniqueViolationOn(new RuntimeException(new SQLException(
                "[SQLITE_CONSTRAINT_UNIQUE] A UNIQUE constraint failed (UNIQUE constraint failed: stored_files.storage_key)")), "slug"));
        assertFalse(SqlErrors.isUniqueViolationOn(new RuntimeException(new SQLException("uk_drops_slug", "23503")), "slug"));
        assertFalse(SqlErrors.isUniqueViolationOn(new RuntimeException("no SQL here: drops.slug"), "slug"));
    }

    @Test
    void theColumnMustBeTheOneAsked() {
        SQLException position = new SQLException(
                "[SQLITE_CONSTRAINT_UNIQUE] A UNIQUE constraint failed (UNIQUE constraint failed: stored_files.drop_id, stored_files.position)");
        assertTrue(SqlErrors.isUniqueViolationOn(new RuntimeException(position), "position"));
        assertFalse(SqlErrors.isUniqueViolationOn(new RuntimeException(position), "slug"));

        SQLException otherConstraint = new SQLException(
                "ERROR: duplicate key value violates unique constraint \"uk_api_keys_key_hash\"", "23505");
        assertFalse(SqlErrors.isUniqueViolationOn(new RuntimeException(otherConstraint), "slug"));
    }

    @Test
    void sqlExceptionsWithoutAMessageOrStateAreNotConflicts() {
        assertFalse(SqlErrors.isUniqueViolationOn(new SQLException(), "slug"));
        assertFalse(SqlErrors.isUniqueViolationOn(new SQLException(null, "23505"), "slug"));
        assertFalse(SqlErrors.isUniqueViolationOn(new SQLException("drops.slug is too long", "22001"), "slug"));
    }

    @Test
    void aMissingReferencedRowInEitherDatabasesWords() {
        assertTrue(SqlErrors.isForeignKeyViolation(new RuntimeException(new SQLException("[SQLITE_CONSTRAINT_FOREIGNKEY] A foreign key constraint failed (FOREIGN KEY constraint failed)"))));
        assertTrue(SqlErrors.isForeignKeyViolation(new SQLException("ERROR: insert or update on table \"download_grants\" violates foreign key constraint", "23503")));
        assertFalse(SqlErrors.isForeignKeyViolation(new SQLException("[SQLITE_BUSY] The database file is locked (database is locked)")));
        assertFalse(SqlErrors.isForeignKeyViolation(new RuntimeException("no SQL here")));
    }
}
