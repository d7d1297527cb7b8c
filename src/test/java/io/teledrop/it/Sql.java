package io.teledrop.it;

import javax.naming.InitialContext;
import javax.sql.DataSource;

/** Plain SQL on the application's own data source, for in-container tests that set up what no API allows. */
public final class Sql {

    private Sql() {
    }

    /** Runs one statement with its parameters; returns the rows it changed. */
    public static int update(String sql, Object... parameters) throws Exception {
        DataSource dataSource = InitialContext.doLookup("jdbc/teledrop");
        try (var connection = dataSource.getConnection(); var statement = connection.prepareStatement(sql)) {
            for (int i = 0; i < parameters.length; i++) {
                statement.setObject(i + 1, parameters[i]);
            }
            return statement.executeUpdate();
        }
    }
}
