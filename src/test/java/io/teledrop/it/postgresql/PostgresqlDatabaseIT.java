package io.teledrop.it.postgresql;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.teledrop.it.Deployments;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.ResultSet;
import java.sql.Statement;
import javax.naming.InitialContext;
import javax.sql.DataSource;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The PostgreSQL data source of server.xml as the application gets it. */
@ExtendWith(ArquillianExtension.class)
class PostgresqlDatabaseIT {

    @Deployment
    static WebArchive deployment() {
        return Deployments.teledrop().addClass(PostgresqlDatabaseIT.class);
    }

    private static Connection connect() throws Exception {
        DataSource dataSource = InitialContext.doLookup("jdbc/teledrop");
        return dataSource.getConnection();
    }

    @Test
    void theDatabaseIsPostgresql15OrLater() throws Exception {
        try (Connection connection = connect()) {
            DatabaseMetaData database = connection.getMetaData();
            assertEquals("PostgreSQL", database.getDatabaseProductName());
            assertTrue(database.getDatabaseMajorVersion() >= 15, database.getDatabaseProductVersion());
            assertEquals("PostgreSQL JDBC Driver", database.getDriverName());
        }
    }

    /** Writers queue on the rows their conditional UPDATEs lock; SERIALIZABLE would make them fail with 40001. */
    @Test
    void transactionsReadCommitted() throws Exception {
        try (Connection connection = connect()) {
            assertEquals(Connection.TRANSACTION_READ_COMMITTED, connection.getTransactionIsolation());
        }
    }

    @Test
    void everyMigrationIsRecordedOnceAndSucceeded() throws Exception {
        try (Connection connection = connect();
             Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery("SELECT COUNT(*), COUNT(DISTINCT version), BOOL_AND(success)"
                     + " FROM flyway_schema_history WHERE version IS NOT NULL")) {
            assertTrue(rows.next());
            assertTrue(rows.getInt(1) >= 5, "V1..V5 at least");
            assertEquals(rows.getInt(2), rows.getInt(1));
            assertTrue(rows.getBoolean(3));
        }
    }
}
