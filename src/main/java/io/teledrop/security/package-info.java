/**
 * Credentials: API keys as a Jakarta Security authentication mechanism and identity store, drop passwords
 * (PBKDF2), unlock tokens (HMAC over the drop's identity) and the kept token secret. Start with
 * {@code ApiKeyAuthenticationMechanism}.
 */
package io.teledrop.security;
