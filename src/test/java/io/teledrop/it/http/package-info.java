/**
 * Black-box tests of everything but uploading, over plain HTTP and real clients (curl, wget, aria2c, an
 * openapi-generator client): downloads and ranges, the drops and keys API, passwords, lifetimes, events,
 * health, metrics, logs, OpenAPI, HTTP policy and the pages as HTTP. They run in the default failsafe execution
 * on {@code teledrop-it} (local disk, 8 MiB per file, 5 files per drop), and again on {@code teledrop-it-pg},
 * whose database is PostgreSQL. Start with {@code DropsApiIT}.
 */
package io.teledrop.it.http;
