package io.teledrop.it.postgresql;

import static io.teledrop.it.Problems.assertProblem;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.teledrop.it.Deployments;
import io.teledrop.it.TeledropClient;
import jakarta.json.JsonObject;
import java.net.http.HttpRequest;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Online backups copy a SQLite file; on PostgreSQL the endpoint says so and writes nothing (pg_dump is the tool). */
@ExtendWith(ArquillianExtension.class)
class PostgresqlBackupIT {

    private static final String ADMIN_KEY = System.getProperty("teledrop.it.api-key");

    private final TeledropClient client = new TeledropClient();

    @Deployment(testable = false)
    static WebArchive deployment() {
        return Deployments.teledrop();
    }

    @Test
    void aBackupIsRefusedNamingPgDump() {
        JsonObject problem = assertProblem(client.send(client.request("api/admin/backups").header("X-API-Key", ADMIN_KEY)
                .POST(HttpRequest.BodyPublishers.noBody()).build()), 409, "urn:teledrop:problem:backup-not-supported");
        assertTrue(problem.getString("detail").contains("pg_dump"), problem.toString());
    }
}
