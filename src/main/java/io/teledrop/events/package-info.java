/**
 * Drop events for other systems: {@link io.teledrop.events.KafkaRelay} publishes the transactional outbox
 * ({@link io.teledrop.drop.EventOutbox}, written by {@code drop.internal} in the transaction of each change) to
 * Kafka, in order, at least once; {@link io.teledrop.events.EventsHealth} shows the backlog. Imports {@code drop},
 * {@code config} and {@code cluster} (this server's name), Kafka's client and MicroProfile Metrics and Health; nothing imports it. Start with
 * {@code KafkaRelay}; docs/events.md describes the events.
 */
package io.teledrop.events;
