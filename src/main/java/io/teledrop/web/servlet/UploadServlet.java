package io.teledrop.web.servlet;

import io.teledrop.config.DataSize;
import io.teledrop.config.MultipartParser;
import io.teledrop.config.Settings;
import io.teledrop.drop.InvalidInputException;
import io.teledrop.drop.InvalidInputException.FieldError;
import io.teledrop.drop.NewDrop;
import io.teledrop.drop.ResumableUploads;
import io.teledrop.drop.UploadSession;
import io.teledrop.drop.Uploads;
import io.teledrop.ops.TransferMetrics;
import io.teledrop.security.RequestAccess;
import io.teledrop.web.Links;
import io.teledrop.web.Problem;
import io.teledrop.web.Problem.Kind;
import io.teledrop.web.Problems;
import io.teledrop.web.RequestIdFilter;
import jakarta.inject.Inject;
import jakarta.servlet.ServletContext;
import jakarta.servlet.ServletException;
import jakarta.servlet.annotation.MultipartConfig;
import jakarta.servlet.annotation.WebServlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.Part;
import java.io.File;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * Receives uploads and turns them into drops.
 * <ul>
 * <li>{@code POST /api/uploads}, multipart/form-data: one or more file parts, optional fields {@code slug},
 * {@code title}, {@code description}, {@code expires}, {@code maxDownloads}, {@code password}.</li>
 * <li>{@code PUT /api/uploads/{filename}}, raw body ({@code curl -T}): the body is the one file part; the
 * {@code Teledrop-*} headers stand in for the form fields.</li>
 * </ul>
 * With a field {@code drop} (or header {@code Teledrop-Drop}) and the drop's {@code Teledrop-Delete-Token},
 * either request adds its files to that existing drop instead of creating one.
 * <p>
 * Every file goes the same way: a {@link Part} (from {@link StreamingParts}, {@link ContainerParts} or
 * {@link RawBodyPart}) streams into an {@link UploadSession} of the injected {@link Uploads} bean, which
 * stores it and, once all parts are in, records the drop; the session owns the stored blobs until then.
 * <p>
 * The multipart config is the container's, used when {@code teledrop.upload.multipart=container}. It has no
 * size limits of its own because Teledrop's ({@code teledrop.upload.max-file-size}, {@code max-drop-size},
 * {@code max-files-per-drop}) are configuration, which an annotation cannot read: the upload session applies
 * them to every part, whoever parsed it, and a declared {@code Content-Length} over them is refused before
 * any parsing. With the default {@code streaming}, nothing here asks the container for parts or parameters,
 * so it never parses (or spools) the body.
 */
@WebServlet(name = "upload", urlPatterns = {"/api/uploads", "/api/uploads/*"})
@MultipartConfig
public class UploadServlet extends HttpServlet {

    private static final String ALLOW = "POST, PUT, OPTIONS";

    @Inject
    Uploads uploads;

    @Inject
    Settings settings;

    @Inject
    Links links;

    @Inject
    TransferMetrics metrics;

    @Inject
    ResumableUploads resumableUploads;

    private UploadAnswers answers;
    private ResumableProtocol resumable;

    @Override
    public void init() {
        answers = new UploadAnswers(links);
        resumable = new ResumableProtocol(resumableUploads, settings, links);
    }

    @Override
    protected void service(HttpServletRequest request, HttpServletResponse response) throws ServletException, IOException {
        String path = request.getPathInfo();
        if (path != null && path.startsWith(ResumableProtocol.RESOURCE_PREFIX)) {
            resumable.serve(request, response, path.substring(ResumableProtocol.RESOURCE_PREFIX.length()));
            return;
        }
        switch (request.getMethod()) {
            case "POST", "PUT" -> {
                long start = System.nanoTime();
                metrics.started();
                try {
                    super.service(request, response);
                } finally {
                    Object stored = request.getAttribute(UploadAnswers.STORED_BYTES);
                    // A page upload answers 303, so success is whether a drop was stored.
                    metrics.uploadFinished(stored instanceof Long,
                            stored instanceof Long bytes ? bytes : 0, Duration.ofNanos(System.nanoTime() - start));
                    auditRefusal(request);
                }
            }
            case "OPTIONS" -> super.service(request, response);
            default -> {
                response.setHeader("Allow", ALLOW);
                UploadAnswers.problem(request, response, Kind.METHOD_NOT_ALLOWED, "Upload with POST (multipart/form-data) or PUT (raw body).");
            }
        }
    }

    @Override
    protected void doOptions(HttpServletRequest request, HttpServletResponse response) {
        response.setHeader("Allow", ALLOW);
        resumable.describe(response);
        response.setStatus(HttpServletResponse.SC_NO_CONTENT);
    }

    @Override
    protected void doPost(HttpServletRequest request, HttpServletResponse response) throws IOException {
        if (request.getPathInfo() != null && !request.getPathInfo().equals("/")) {
            response.setHeader("Allow", "PUT, OPTIONS");
            UploadAnswers.problem(request, response, Kind.METHOD_NOT_ALLOWED, "Use PUT to upload a raw body to a filename; POST goes to /api/uploads.");
            return;
        }
        if (ResumableProtocol.isResumable(request)) {
            createResumable(request, response, null);
            return;
        }
        String contentType = request.getContentType();
        if (contentType == null || !contentType.toLowerCase(Locale.ROOT).startsWith("multipart/form-data")) {
            UploadAnswers.problem(request, response, Kind.UNSUPPORTED_MEDIA_TYPE,
                    "POST /api/uploads takes multipart/form-data (curl -F file=@name); for a raw body use PUT /api/uploads/{filename}.");
            return;
        }
        Optional<UploadSession> opened = begin(request, response, UploadRequests.POST_HEADERS);
        if (opened.isEmpty()) {
            return;
        }
        long maxRequest = Math.min(maxRequestBytes(settings), settings.maxDropSize() + 1024 * 1024);
        UploadForm form = new UploadForm(UploadRequests.header(request, "Teledrop-Drop"), request.getHeader(UploadRequests.TOKEN_HEADER));
        PartSource parts = null;
        try (UploadSession upload = opened.get()) {
            if (request.getContentLengthLong() > maxRequest) {
                UploadAnswers.tooLarge(request, response, "The request is larger than " + settings.maxFilesPerDrop() + " files of "
                        + DataSize.format(settings.maxFileSize()) + " each.");
                return;
            }
            upload.requireRoom(request.getContentLengthLong());
            parts = partsOf(request, contentType, maxRequest);
            for (Optional<Part> next = parts.next(); next.isPresent(); next = parts.next()) {
                Part part = next.get();
                String fileName = part.getSubmittedFileName();
                if (fileName == null) {
                    form.take(part);
                } else if (!(fileName.isEmpty() && part.getSize() == 0)) { // a browser's file input left empty
                    // Fields sent before the first file (as browsers and the upload page send them) are checked
                    // before its bytes are read, so a taken slug fails fast.
                    form.validated(upload);
                    upload.stage(fileName, part.getInputStream());
                }
                part.delete();
            }
            if (upload.stagedFiles() == 0) {
                UploadAnswers.problem(request, response, Kind.NO_FILES, "The upload holds no file part (a part with a filename, e.g. curl -F file=@name).");
                return;
            }
            NewDrop wanted = form.validated(upload); // again if fields came after the files
            if (form.existingDrop() != null) {
                var drop = upload.addToDrop(form.existingDrop(), RequestAccess.of(request, form.deleteToken()));
                if (form.forPage()) {
                    answers.addedForPage(request, response, drop);
                } else {
                    answers.added(request, response, drop);
                }
            } else if (form.forPage()) {
                answers.createdForPage(request, response, upload.createDrop(wanted));
            } else {
                answers.created(request, response, upload.createDrop(wanted));
            }
        } catch (MultipartReader.MultipartTooLargeException e) {
            UploadAnswers.tooLarge(request, response, "The request is larger than " + settings.maxFilesPerDrop() + " files of "
                    + DataSize.format(settings.maxFileSize()) + " each, or than the drop limit of " + DataSize.format(settings.maxDropSize()) + ".");
        } catch (Exception e) {
            UploadAnswers.fail(request, response, e, parts == null || !parts.bodyFullyRead());
        } finally {
            if (parts != null) {
                parts.close();
            }
        }
    }

    /** Refusals worth an audit event: not the resumable protocols' ordinary answers (409 offset, 423 busy, 404). */
    private static final Set<Integer> AUDITED_REFUSALS = Set.of(400, 401, 403, 411, 413, 415, 429, 460, 507);

    /** An upload answered with a refusal worth auditing becomes an {@code io.teledrop.upload.refused} event. */
    private void auditRefusal(HttpServletRequest request) {
        if (request.getAttribute(Problems.SENT) instanceof Problem problem && AUDITED_REFUSALS.contains(problem.status())) {
            String slug = request.getHeader("Teledrop-Drop") != null ? request.getHeader("Teledrop-Drop") : request.getHeader("Teledrop-Slug");
            uploads.refused(slug, problem.type(), problem.status(), problem.detail());
        }
    }

    @Override
    protected void doPut(HttpServletRequest request, HttpServletResponse response) throws IOException {
        String sentName;
        try {
            sentName = UploadRequests.sentFileName(request.getRequestURI(), request.getContextPath(), request.getServletPath());
        } catch (InvalidInputException e) {
            UploadAnswers.fail(request, response, e, false);
            return;
        }
        if (sentName.isEmpty()) {
            Problems.send(request, response, Problem.invalid(List.of(new FieldError("filename",
                    "name the file in the path: PUT /api/uploads/{filename}")), "The upload has no filename.", RequestIdFilter.instance(request)), null);
            return;
        }
        if (ResumableProtocol.isResumable(request)) {
            createResumable(request, response, sentName);
            return;
        }
        Optional<UploadSession> opened = begin(request, response, UploadRequests.PUT_HEADERS);
        if (opened.isEmpty()) {
            return;
        }
        boolean bodyRead = false;
        try (UploadSession upload = opened.get()) {
            long maxFile = Math.min(settings.maxFileSize(), settings.maxDropSize());
            if (request.getContentLengthLong() > maxFile) {
                UploadAnswers.tooLarge(request, response, "The file is larger than the limit of " + DataSize.format(maxFile) + ".");
                return;
            }
            upload.requireRoom(request.getContentLengthLong());
            UploadForm form = UploadRequests.formOfHeaders(request);
            if (form.existingDrop() != null) {
                UploadRequests.checkNoNewDropHeaders(request);
            }
            NewDrop wanted = form.validated(upload);
            Part body = new RawBodyPart(request, sentName, multipartLocation());
            bodyRead = true;
            upload.stage(body.getSubmittedFileName(), body.getInputStream());
            if (form.existingDrop() != null) {
                answers.added(request, response, upload.addToDrop(form.existingDrop(), RequestAccess.of(request, form.deleteToken())));
            } else {
                answers.created(request, response, upload.createDrop(wanted));
            }
        } catch (Exception e) {
            UploadAnswers.fail(request, response, e, !bodyRead);
        }
    }

    /** A resumable upload's creation (tus, or the IETF's with the file name from a PUT's URL). */
    private void createResumable(HttpServletRequest request, HttpServletResponse response, String nameFromUrl) throws IOException {
        ResumableProtocol.Dialect dialect = resumable.dialect(request, response);
        if (dialect == null) {
            return;
        }
        try {
            UploadRequests.checkHeaders(request, UploadRequests.PUT_HEADERS);
        } catch (RuntimeException e) {
            UploadAnswers.fail(request, response, e, true);
            return;
        }
        resumable.create(request, response, dialect, nameFromUrl);
    }

    /**
     * Opens the upload session once the request's {@code Teledrop-*} headers are known and its sender may
     * upload; otherwise answers and returns empty. Nothing of the body has been read either way.
     */
    private Optional<UploadSession> begin(HttpServletRequest request, HttpServletResponse response, Set<String> headers) throws IOException {
        try {
            UploadRequests.checkHeaders(request, headers);
            return Optional.of(uploads.begin(RequestAccess.of(request, null)));
        } catch (RuntimeException e) {
            UploadAnswers.fail(request, response, e, true);
            return Optional.empty();
        }
    }

    /** The parts of a multipart body, from the parser {@code teledrop.upload.multipart} names. */
    private PartSource partsOf(HttpServletRequest request, String contentType, long maxRequest) throws IOException {
        Optional<String> boundary = MultipartReader.boundaryOf(contentType);
        if (boundary.isEmpty()) {
            throw new MultipartReader.MalformedMultipartException("the multipart/form-data content type has no valid boundary parameter");
        }
        if (settings.multipartParser() == MultipartParser.CONTAINER) {
            return ContainerParts.of(request);
        }
        MultipartReader reader = new MultipartReader(new ClientBody(request.getInputStream(), request.getContentLengthLong()),
                boundary.get(), maxRequest);
        return new StreamingParts(reader, multipartLocation());
    }

    /** Where {@link Part#write} puts a relative name: the container's temporary folder, as for its own parts. */
    private Path multipartLocation() {
        return ((File) getServletContext().getAttribute(ServletContext.TEMPDIR)).toPath();
    }

    /** The most a multipart request may carry: every file at its limit, plus room for fields and part headers. */
    static long maxRequestBytes(Settings settings) {
        long perPart = settings.maxFileSize() + 64 * 1024;
        return perPart > Long.MAX_VALUE / (settings.maxFilesPerDrop() + 1) ? Long.MAX_VALUE : perPart * (settings.maxFilesPerDrop() + 1);
    }
}
