/**
 * Credentials: API keys as a Jakarta Security authentication mechanism and identity store, drop passwords
 * (PBKDF2), unlock tokens (HMAC over the drop's identity) and the kept token secret. May import {@code drop}
 * and {@code config}, never {@code web}: the mechanism's refusals are written through {@code RefusalWriter},
 * which the web layer implements. Start with {@code RequestAuthenticationMechanism}.
 */
package io.teledrop.security;
