package io.teledrop.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/**
 * The README promises 30 days of {@code messages.log} and {@code access.log}. Liberty rolls both at 20 MB
 * unless told otherwise, and keeps only {@code maxFiles} of them, so on a busy server a size rollover would
 * push days out early: both logs must roll by time only (daily at midnight, no size limit) and keep
 * {@code teledrop.log.max-files} files, 30 unless configured. Read from the server.xml that ships.
 */
class LogRetentionTest {

    private static final Path SERVER_XML = Path.of("src/main/liberty/config/server.xml");

    @ParameterizedTest
    @ValueSource(strings = {"logging", "httpAccessLogging"})
    void logsRollDailyOnlyAndKeepThirtyFiles(String element) throws Exception {
        Document server = DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(SERVER_XML.toFile());
        Element log = only(server, element);

        assertEquals("0", log.getAttribute("maxFileSize"), "no rollover by size (Liberty's default is 20 MB)");
        assertEquals("1d", log.getAttribute("rolloverInterval"));
        assertEquals("00:00", log.getAttribute("rolloverStartTime"));
        assertEquals("30", resolve(server, log.getAttribute("maxFiles")));
    }

    private static Element only(Document document, String name) {
        NodeList found = document.getDocumentElement().getElementsByTagName(name);
        assertEquals(1, found.getLength(), name);
        return (Element) found.item(0);
    }

    /** A value with server.xml variables replaced by their defaults. */
    private static String resolve(Document server, String value) {
        Map<String, String> defaults = new HashMap<>();
        NodeList variables = server.getDocumentElement().getElementsByTagName("variable");
        for (int i = 0; i < variables.getLength(); i++) {
            Element variable = (Element) variables.item(i);
            defaults.put(variable.getAttribute("name"), variable.hasAttribute("defaultValue")
                    ? variable.getAttribute("defaultValue") : variable.getAttribute("value"));
        }
        String resolved = value;
        for (Map.Entry<String, String> entry : defaults.entrySet()) {
            resolved = resolved.replace("${" + entry.getKey() + "}", entry.getValue());
        }
        return resolved;
    }
}
