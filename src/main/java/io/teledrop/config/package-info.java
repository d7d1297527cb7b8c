/**
 * Typed configuration: {@link io.teledrop.config.Settings} reads and checks every {@code teledrop.*} key once,
 * at start-up, through MicroProfile Config; nothing else reads raw keys. {@link io.teledrop.config.SettingsCatalog}
 * lists the keys with their defaults and secrecy, for {@code GET /api/admin/config} and the start-up lines
 * ({@link io.teledrop.config.SettingsLog}). Imports only the JDK, MicroProfile Config and CDI. Start with
 * {@code Settings}, then {@code SettingsProducer}.
 */
package io.teledrop.config;
