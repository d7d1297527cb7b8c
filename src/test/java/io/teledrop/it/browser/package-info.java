/**
 * The pages in a real headless Chromium (Debian's {@code chromium} through {@code chromedriver}), with and
 * without JavaScript, against {@code teledrop-it} in the default failsafe execution. Tests take a
 * {@code Browser} parameter from {@code BrowserExtension} (one Chromium per class, reset after every test,
 * screenshots under {@code target/screenshots/}). Start with {@code BrowserExtension}, then {@code UploadPageIT}.
 */
package io.teledrop.it.browser;
