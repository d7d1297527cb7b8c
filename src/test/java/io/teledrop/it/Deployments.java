package io.teledrop.it;

import java.io.File;
import org.jboss.shrinkwrap.api.ShrinkWrap;
import org.jboss.shrinkwrap.api.importer.ZipImporter;
import org.jboss.shrinkwrap.api.spec.WebArchive;

/**
 * The WAR that {@code mvn package} built, as every integration test deploys it: the real application, plus the
 * helpers in-container tests share.
 */
public final class Deployments {

    private Deployments() {
    }

    public static WebArchive teledrop() {
        File war = new File("target/teledrop.war");
        if (!war.isFile()) {
            throw new IllegalStateException("target/teledrop.war is missing: run the integration tests through mvn verify");
        }
        return ShrinkWrap.create(ZipImporter.class, "teledrop.war").importFrom(war).as(WebArchive.class)
                .addClasses(TestUploads.class, TestUploads.TestFile.class, Sql.class, SpoolWatch.class, LargeUploads.class, LargeUploads.Result.class);
    }
}
