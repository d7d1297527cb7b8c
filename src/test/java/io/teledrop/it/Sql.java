package io.teledrop.it;

import jakarta.transaction.Status;
import jakarta.transaction.UserTransaction;
import javax.naming.InitialContext;
import javax.sql.DataSource;

/** Plain SQL on the application's own data source, for in-container tests that set up what no API allows. */
public final class Sql {

    private Sql() {
    }

    /**
     * Runs one statement with its parameters in a transaction of its own; returns the rows it changed. Outside a
     * transaction Liberty would keep the connection until the test method ends, and the requests the test then
     * makes could wait for it (the server also runs the tests with a pool of one connection).
     */
    public static int update(String sql, Object... parameters) throws Exception {
        UserTransaction transaction = InitialContext.doLookup("java:comp/UserTransaction");
        boolean own = transaction.getStatus() == Status.STATUS_NO_TRANSACTION;
        if (own) {
            transaction.begin();
        }
        try {
            DataSource dataSource = InitialContext.doLookup("jdbc/teledrop");
            int changed;
            try (var connection = dataSource.getConnection(); var statement = connection.prepareStatement(sql)) {
                for (int i = 0; i < parameters.length; i++) {
                    statement.setObject(i + 1, parameters[i]);
                }
                changed = statement.executeUpdate();
            }
            if (own) {
                transaction.commit();
            }
            return changed;
        } catch (Exception | Error e) {
            if (own && transaction.getStatus() != Status.STATUS_NO_TRANSACTION) {
                transaction.rollback();
            }
            throw e;
        }
    }
}
