package io.teledrop.it.s3;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.teledrop.config.Settings;
import io.teledrop.config.StorageType;
import io.teledrop.it.Deployments;
import io.teledrop.it.server.RollbackCases;
import jakarta.inject.Inject;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;

/** {@link RollbackCases} inside the server whose storage is S3: a rolled-back drop deletes its S3 objects. */
class S3RollbackIT extends RollbackCases {

    @Inject
    Settings settings;

    @Deployment
    static WebArchive deployment() {
        return Deployments.teledrop().addClasses(RollbackCases.class, S3RollbackIT.class);
    }

    @Test
    void theseCasesRunAgainstS3() {
        assertEquals(StorageType.S3, settings.storageType());
    }
}
