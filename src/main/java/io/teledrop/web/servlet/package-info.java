/**
 * The servlets that move bytes. {@code UploadServlet} ({@code @MultipartConfig}) gets {@code Part}s from a
 * {@code PartSource} ({@code StreamingParts} over {@code MultipartReader}, or {@code ContainerParts} over
 * {@code request.getParts()}; a raw {@code PUT} body is a {@code RawBodyPart}), streams each into the
 * injected {@code Uploads} bean, and answers through {@code UploadAnswers}; {@code UploadForm} and
 * {@code UploadRequests} read what the request says besides its files. {@code DownloadServlet} serves files,
 * ranges, preconditions and the ZIP, with the HTTP rules as small testable classes ({@code HttpRanges},
 * {@code Preconditions}, {@code ContentDisposition}). May import {@code drop}, {@code storage}'s contract,
 * {@code config}, {@code security} and {@code web}. Start with the two servlets.
 */
package io.teledrop.web.servlet;
