package io.teledrop.web.servlet;

import io.teledrop.drop.DropView.FileView;
import io.teledrop.storage.BlobStore;
import io.teledrop.storage.StoredBlob;
import java.io.IOException;
import java.io.OutputStream;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.zip.Deflater;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * Writes the files of a drop as one ZIP archive straight to the response: entry by entry from the blob
 * store, with no temporary archive and a fixed-size buffer. Entries are stored without compression (most
 * shared files are compressed already, and it keeps the download at disk speed); ZIP64 is used by the JDK
 * when a file or the archive passes 4 GiB.
 */
final class ZipStreamer {

    private static final int BUFFER_SIZE = 64 * 1024;

    private ZipStreamer() {
    }

    /**
     * Streams the archive; the caller owns {@code out} and closes it. A blob that cannot be read ends the
     * archive unfinished, with a {@link Transfers.StorageReadException}.
     */
    static void write(List<FileView> files, BlobStore blobs, OutputStream out) throws IOException {
        ZipOutputStream zip = new ZipOutputStream(out);
        zip.setLevel(Deflater.NO_COMPRESSION);
        Set<String> used = new HashSet<>();
        byte[] buffer = new byte[BUFFER_SIZE];
        for (FileView file : files) {
            ZipEntry entry = new ZipEntry(uniqueName(file.name(), used));
            entry.setTime(file.createdAt().toEpochMilli());
            zip.putNextEntry(entry);
            StoredBlob blob;
            try {
                blob = blobs.open(file.storageKey());
            } catch (IOException e) {
                throw new Transfers.StorageReadException(e);
            }
            try (blob) {
                Transfers.copyExactly(blob, zip, buffer, file.size(), file.id());
            }
            zip.closeEntry();
        }
        zip.finish();
    }

    /**
     * Names are already safe (no directories, no control characters); two files of the same name become
     * {@code a.txt} and {@code a (2).txt}, compared case-insensitively as most unzip targets do.
     */
    static String uniqueName(String name, Set<String> used) {
        String candidate = name;
        int dot = name.lastIndexOf('.');
        String stem = dot > 0 ? name.substring(0, dot) : name;
        String extension = dot > 0 ? name.substring(dot) : "";
        for (int n = 2; !used.add(candidate.toLowerCase(Locale.ROOT)); n++) {
            candidate = stem + " (" + n + ")" + extension;
        }
        return candidate;
    }
}
