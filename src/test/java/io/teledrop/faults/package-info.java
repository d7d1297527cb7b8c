/**
 * Crash and disk-full tests, run by their own failsafe execution against a server they start, SIGKILL and
 * restart themselves ({@code LibertyServer}): {@code FaultCampaignIT} (kills during uploads, then checks every
 * acknowledged file by SHA-256) and {@code DiskFullIT}. Start with {@code FaultCampaignIT}.
 */
package io.teledrop.faults;
