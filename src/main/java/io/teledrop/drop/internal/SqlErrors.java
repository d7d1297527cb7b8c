package io.teledrop.drop.internal;

import java.sql.SQLException;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Set;

/** What a failed statement meant, read from the SQL exceptions in a cause chain, in SQLite's or PostgreSQL's words. */
final class SqlErrors {

    private SqlErrors() {
    }

    /** Whether a unique constraint on {@code column} failed, in SQLite's or PostgreSQL's words. */
    static boolean isUniqueViolationOn(Throwable error, String column) {
        Set<Throwable> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        for (Throwable t = error; t != null && seen.add(t); t = t.getCause()) {
            if (t instanceof SQLException sql) {
                String message = String.valueOf(sql.getMessage());
                boolean unique = "23505".equals(sql.getSQLState()) || message.contains("UNIQUE constraint failed");
                if (unique && (message.contains("." + column) || message.contains("_" + column))) {
                    return true;
                }
            }
        }
        return false;
    }

    /** Whether a row referred to by a foreign key was gone, in SQLite's or PostgreSQL's words. */
    static boolean isForeignKeyViolation(Throwable error) {
        Set<Throwable> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        for (Throwable t = error; t != null && seen.add(t); t = t.getCause()) {
            if (t instanceof SQLException sql
                    && ("23503".equals(sql.getSQLState()) || String.valueOf(sql.getMessage()).contains("FOREIGN KEY constraint failed"))) {
                return true;
            }
        }
        return false;
    }
}
