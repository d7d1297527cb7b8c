/**
 * The build's Apache Kafka broker and the tests of it, run by the {@code fault-tests} failsafe execution (the outage
 * tests are fault tests): {@code KafkaBroker} is what tests of Teledrop's Kafka events use (its address, pause and
 * resume through {@code bin/test-kafka.sh}, reading a topic back); {@code KafkaBrokerIT} proves that the broker
 * keeps what it acknowledged across a pause. Plain JUnit 5 and kafka-clients, no Liberty server. Start with
 * {@code KafkaBroker}.
 */
package io.teledrop.it.kafka;
