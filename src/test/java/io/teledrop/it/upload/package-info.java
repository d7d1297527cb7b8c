/**
 * Black-box tests whose subject is the upload endpoint: {@code POST /api/uploads} (multipart) and
 * {@code PUT /api/uploads/{name}}, with limits, races and hostile input. They run three times: in the default failsafe
 * execution on {@code teledrop-it}, in {@code container-multipart-tests} on a server that differs only by
 * {@code -Dteledrop.upload.multipart=container} (the container's {@code getParts()} instead of Teledrop's own
 * streaming reader), and in {@code postgresql-integration-tests} on one whose database is PostgreSQL. All must
 * give the same answers, so a test here takes the server's URL, directory and
 * limits from {@link io.teledrop.it.TeledropClient}, never from one server's name or settings. Start with
 * {@code UploadIT}.
 */
package io.teledrop.it.upload;
