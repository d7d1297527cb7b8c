/**
 * Typed configuration: {@link io.teledrop.config.Settings} reads and checks every {@code teledrop.*} key once,
 * at start-up, through MicroProfile Config; nothing else reads raw keys. Imports only the JDK and MicroProfile
 * Config. Start with {@code Settings}, then {@code SettingsProducer}.
 */
package io.teledrop.config;
