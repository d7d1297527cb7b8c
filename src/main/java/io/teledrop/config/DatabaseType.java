package io.teledrop.config;

/**
 * Which database server.xml gives the application as {@code jdbc/teledrop} ({@code teledrop.db.type}, which
 * picks the included {@code db/<type>.xml}). The application itself asks the connection which database it
 * talks to where that matters, so an operator's own data source is judged by what it is.
 */
public enum DatabaseType {
    /** The embedded default: a file beside the blobs, nothing to set up. */
    SQLITE,
    /** A PostgreSQL server (15 or later) at {@code teledrop.db.url}. */
    POSTGRESQL
}
