/**
 * What the servers of a cluster share beyond the rows of drops: which server this is ({@link ClusterNode}),
 * periodic tasks run once per interval cluster-wide ({@link Leases}), and live drop events passed between
 * servers ({@link EventRelay}). A cluster is several servers on one PostgreSQL database; on SQLite there is
 * one server, and the same code runs with nothing to share.
 */
package io.teledrop.cluster;
