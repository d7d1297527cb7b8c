package io.teledrop.it.browser;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * Hands {@link Browser} parameters to the tests of a class: one Chromium with JavaScript, and one without for
 * parameters marked {@link WithoutJavaScript}, each started when a test first asks for it and then kept for
 * the rest of the class (starting Chromium costs more than most page tests). After every test the browsers it
 * used save their page as {@code target/screenshots/<prefix>-<test method>.png} and are {@link Browser#reset()
 * reset}, so no test sees what another left behind; after the class they are quit, whatever failed before.
 * A browser that cannot be reset is quit at once and the next test gets a new one.
 *
 * <pre>{@code
 * @RegisterExtension
 * static final BrowserExtension BROWSERS = new BrowserExtension("admin");
 *
 * @Test
 * void something(Browser browser) { ... }
 * }</pre>
 */
public final class BrowserExtension implements ParameterResolver, AfterEachCallback, AfterAllCallback {

    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(BrowserExtension.class);
    /** Keys of the class-level store: one browser per kind. */
    private static final List<Boolean> KINDS = List.of(true, false);
    /** Key of the test-level store: the kinds of browser this test used. */
    private static final String USED = "used";

    private final String screenshotPrefix;

    /** @param screenshotPrefix the start of the name of each test's screenshot */
    public BrowserExtension(String screenshotPrefix) {
        this.screenshotPrefix = screenshotPrefix;
    }

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        return parameter.getParameter().getType() == Browser.class;
    }

    @Override
    public Browser resolveParameter(ParameterContext parameter, ExtensionContext context) {
        boolean javaScript = !parameter.isAnnotated(WithoutJavaScript.class);
        Browser browser = classStore(context).getOrComputeIfAbsent(javaScript, kind -> new Browser(kind), Browser.class);
        if (context.getTestMethod().isPresent()) {
            @SuppressWarnings("unchecked")
            List<Boolean> used = context.getStore(NAMESPACE).getOrComputeIfAbsent(USED, key -> new ArrayList<Boolean>(), List.class);
            if (!used.contains(javaScript)) {
                used.add(javaScript);
            }
        }
        return browser;
    }

    @Override
    public void afterEach(ExtensionContext context) {
        @SuppressWarnings("unchecked")
        List<Boolean> used = context.getStore(NAMESPACE).getOrDefault(USED, List.class, List.of());
        String screenshot = screenshotPrefix + "-" + context.getRequiredTestMethod().getName();
        RuntimeException failure = null;
        for (Boolean kind : used) {
            Browser browser = classStore(context).get(kind, Browser.class);
            try {
                browser.screenshot(screenshot);
                browser.reset();
            } catch (RuntimeException e) {
                classStore(context).remove(kind, Browser.class);
                failure = addTo(failure, e);
                try {
                    browser.close();
                } catch (RuntimeException closing) {
                    failure.addSuppressed(closing);
                }
            }
        }
        if (failure != null) {
            throw failure;
        }
    }

    @Override
    public void afterAll(ExtensionContext context) {
        RuntimeException failure = null;
        for (Boolean kind : KINDS) {
            Browser browser = classStore(context).remove(kind, Browser.class);
            if (browser != null) {
                try {
                    browser.close();
                } catch (RuntimeException e) {
                    failure = addTo(failure, e);
                }
            }
        }
        if (failure != null) {
            throw failure;
        }
    }

    /** The store of the test class, which lives as long as the class's tests run. */
    private static ExtensionContext.Store classStore(ExtensionContext context) {
        ExtensionContext classContext = context;
        while (classContext.getTestMethod().isPresent()) {
            classContext = classContext.getParent().orElseThrow();
        }
        return classContext.getStore(NAMESPACE);
    }

    private static RuntimeException addTo(RuntimeException first, RuntimeException next) {
        if (first == null) {
            return next;
        }
        first.addSuppressed(next);
        return first;
    }
}
