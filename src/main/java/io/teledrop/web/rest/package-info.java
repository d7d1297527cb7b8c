/**
 * The REST API (Jakarta REST): drops, API keys, backups, the configuration report, event streams, and the mapper
 * that turns exceptions into problems. Calls {@code drop}, and {@code config} for typed values and the settings
 * report ({@code ConfigResource}). Start with {@code DropsResource}.
 */
package io.teledrop.web.rest;
