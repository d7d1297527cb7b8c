/**
 * Teledrop as a cluster (pom.xml's {@code cluster-tests} execution): three Liberty servers started from the built
 * WAR ({@code Cluster}), behind Debian's nginx as a round-robin balancer without stickiness, on a PostgreSQL
 * database of their own (in the build's server) and an S3Proxy bucket. The tests send requests to named nodes,
 * to be sure they differ, and through the balancer, as users would; the fault tests kill nodes and stop the
 * database and the storage under load.
 */
package io.teledrop.it.cluster;
