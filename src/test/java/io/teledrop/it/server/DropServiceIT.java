package io.teledrop.it.server;

import io.teledrop.it.TestUploads;
import io.teledrop.it.TestUploads.TestFile;
import io.teledrop.drop.Uploads;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.teledrop.drop.Access;
import io.teledrop.drop.DropPage;
import io.teledrop.drop.DropService;
import io.teledrop.drop.DropSort;
import io.teledrop.drop.DropView;
import io.teledrop.drop.InvalidInputException;
import io.teledrop.drop.NewDrop;
import io.teledrop.drop.Permission;
import io.teledrop.it.Deployments;
import io.teledrop.storage.BlobStore;
import jakarta.inject.Inject;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Listing drops through the application's own service, inside the server: ordering, paging and prefix
 * matching with data this test controls.
 */
@ExtendWith(ArquillianExtension.class)
class DropServiceIT {

    private static final Access ADMIN = new Access(null, Set.of(Permission.ADMIN));

    @Inject
    DropService drops;

    @Inject
    Uploads uploads;

    @Inject
    BlobStore blobs;

    @Deployment
    static WebArchive deployment() {
        return Deployments.teledrop().addClass(DropServiceIT.class);
    }

    private void create(String slug) throws Exception {
        TestUploads.create(uploads, new NewDrop(slug, null, null), new TestFile("f.txt", new byte[] {1}));
    }

    @Test
    void listsByPrefixInOrderAndPages() throws Exception {
        String prefix = "ls" + UUID.randomUUID().toString().substring(0, 6) + "-";
        for (String name : List.of("b", "a", "c")) {
            create(prefix + name);
        }
        // An underscore in the prefix is a character, not a LIKE wildcard.
        create(prefix.replace("-", "x") + "z");

        DropPage first = drops.list(ADMIN, prefix.toUpperCase(), DropSort.SLUG_ASC, 0, 2);
        DropPage second = drops.list(ADMIN, prefix, DropSort.SLUG_ASC, 1, 2);
        DropPage newest = drops.list(ADMIN, prefix, DropSort.CREATED_DESC, 0, 10);

        assertEquals(3, first.total());
        assertEquals(List.of(prefix + "a", prefix + "b"), first.items().stream().map(DropView::slug).toList());
        assertEquals(List.of(prefix + "c"), second.items().stream().map(DropView::slug).toList());
        assertEquals(List.of(prefix + "c", prefix + "a", prefix + "b"), newest.items().stream().map(DropView::slug).toList());
        assertEquals(0, drops.list(ADMIN, prefix.replace("-", "_"), DropSort.SLUG_ASC, 0, 10).total());
    }

    @Test
    void refusesPagesOutOfRange() {
        InvalidInputException error = assertThrows(InvalidInputException.class, () -> drops.list(ADMIN, null, DropSort.SLUG_ASC, -1, 0));

        assertEquals(List.of("page", "size"), error.fieldErrors().stream().map(InvalidInputException.FieldError::field).toList());
        assertThrows(InvalidInputException.class, () -> drops.list(ADMIN, null, DropSort.SLUG_ASC, 0, 101));
    }
}
