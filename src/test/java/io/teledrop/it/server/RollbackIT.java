package io.teledrop.it.server;

import io.teledrop.it.Deployments;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.shrinkwrap.api.spec.WebArchive;

/** {@link RollbackCases} on the server with local disk storage. */
class RollbackIT extends RollbackCases {

    @Deployment
    static WebArchive deployment() {
        return Deployments.teledrop().addClasses(RollbackCases.class, RollbackIT.class);
    }
}
