/**
 * The servlets that move bytes: {@code UploadServlet} (raw {@code PUT} and streaming multipart) and
 * {@code DownloadServlet} (files, ranges, preconditions, the ZIP), with the HTTP rules they follow as small
 * testable classes ({@code HttpRanges}, {@code Preconditions}, {@code ContentDisposition}). Start with the two
 * servlets.
 */
package io.teledrop.web.servlet;
