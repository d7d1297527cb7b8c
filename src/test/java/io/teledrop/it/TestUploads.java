package io.teledrop.it;

import io.teledrop.drop.Access;
import io.teledrop.drop.CreatedDrop;
import io.teledrop.drop.NewDrop;
import io.teledrop.drop.UploadSession;
import io.teledrop.drop.Uploads;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/** Drops made inside the server by in-container tests, through the same upload session as the upload servlet. */
public final class TestUploads {

    private TestUploads() {
    }

    /** A file to upload: its name and bytes. */
    public record TestFile(String name, byte[] content) {
        public static TestFile text(String name, String text) {
            return new TestFile(name, text.getBytes(StandardCharsets.UTF_8));
        }
    }

    /** Stages the files as an anonymous uploader and commits them as a new drop. */
    public static CreatedDrop create(Uploads uploads, NewDrop drop, TestFile... files) throws IOException {
        try (UploadSession upload = uploads.begin(Access.anonymous())) {
            for (TestFile file : files) {
                upload.stage(file.name(), new ByteArrayInputStream(file.content()));
            }
            return upload.createDrop(drop);
        }
    }
}
