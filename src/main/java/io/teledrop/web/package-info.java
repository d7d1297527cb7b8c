/**
 * Cross-cutting HTTP: request ids, the HTTP policy filter (hosts, CORS, CSRF, headers), RFC 9457 problems and
 * error pages (also for the authentication mechanism's refusals, {@code ProblemRefusalWriter}), links and JSON
 * shapes of answers, and the audit events of requests ({@code Auditing}, who did it: key id, subject, address).
 * Calls {@code drop} and {@code audit}, never JPA or storage directly. Start with {@code Problems} and
 * {@code RequestIdFilter}.
 */
package io.teledrop.web;
