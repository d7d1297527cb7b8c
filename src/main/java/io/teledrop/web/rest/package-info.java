/**
 * The REST API (Jakarta REST): drops, API keys, backups, event streams, and the mapper that turns exceptions into
 * problems. Calls {@code drop} only. Start with {@code DropsResource}.
 */
package io.teledrop.web.rest;
