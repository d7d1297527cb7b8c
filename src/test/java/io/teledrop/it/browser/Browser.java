package io.teledrop.it.browser;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.teledrop.it.TeledropClient;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;
import java.util.stream.Stream;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * A real, headless Chromium (Debian's {@code chromium} and {@code chromium-driver}, which {@code mvn verify}
 * installs through bin/test-prerequisites.sh) driven through chromedriver, with a fresh profile and download folder per instance. Collects
 * the browser console, so tests can assert that no page broke its Content-Security-Policy or a script.
 * Tests get one from {@link BrowserExtension}, which starts it once per test class, {@link #reset() resets}
 * it after every test and {@link #close() quits} it after the last; not thread-safe.
 */
public final class Browser implements AutoCloseable {

    static final Path SCREENSHOTS = Path.of("target", "screenshots");
    private static final Path CHROMIUM = Path.of(System.getProperty("teledrop.it.chromium", "/usr/bin/chromium"));
    private static final Path CHROMEDRIVER = Path.of(System.getProperty("teledrop.it.chromedriver", "/usr/bin/chromedriver"));

    public final ChromeDriver driver;
    final Path downloads;
    private final Path profile;
    /** The window as it started ({@code --window-size}), restored by {@link #reset()}. */
    private final Dimension windowSize;

    /** Starts Chromium, with JavaScript on or off for the whole life of this browser. */
    Browser(boolean javaScript) {
        if (!Files.isExecutable(CHROMIUM) || !Files.isExecutable(CHROMEDRIVER)) {
            throw new IllegalStateException("The browser tests need " + CHROMIUM + " and " + CHROMEDRIVER
                    + ": apt-get install chromium chromium-driver (mvn verify does this as root)");
        }
        try {
            profile = Files.createTempDirectory("teledrop-chromium-");
            downloads = Files.createTempDirectory("teledrop-downloads-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        // As root in a container Chromium needs --no-sandbox; the rest keeps it from calling home.
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--no-first-run", "--user-data-dir=" + profile, "--window-size=1280,1000");
        Map<String, Object> prefs = new HashMap<>();
        prefs.put("download.default_directory", downloads.toString());
        prefs.put("download.prompt_for_download", false);
        if (!javaScript) {
            prefs.put("profile.managed_default_content_settings.javascript", 2);
        }
        options.setExperimentalOption("prefs", prefs);
        LoggingPreferences logging = new LoggingPreferences();
        logging.enable(LogType.BROWSER, Level.ALL);
        options.setCapability("goog:loggingPrefs", logging);
        ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(CHROMEDRIVER.toFile()).usingAnyFreePort().build();
        driver = new ChromeDriver(service, options);
        try {
            driver.manage().timeouts().pageLoadTimeout(Duration.ofSeconds(60));
            windowSize = driver.manage().window().getSize();
        } catch (RuntimeException e) {
            close();
            throw e;
        }
    }

    /**
     * Opens a page and waits until it is the new one, loaded. {@code get} alone returned before the new document
     * replaced the old one when the same address was opened again (ChromeDriver with Chromium 150): a test then
     * read the old page, or one half built.
     */
    public void open(String path) {
        WebElement before;
        try {
            before = driver.findElement(By.tagName("html"));
        } catch (org.openqa.selenium.WebDriverException e) {
            before = null; // no document yet
        }
        driver.get(TeledropClient.BASE.resolve(path).toString());
        waitForNextPage(before);
    }

    public WebElement find(String css) {
        return driver.findElement(By.cssSelector(css));
    }

    public List<WebElement> findAll(String css) {
        return driver.findElements(By.cssSelector(css));
    }

    public String text(String css) {
        return find(css).getText();
    }

    public WebElement waitVisible(String css, Duration timeout) {
        return new WebDriverWait(driver, timeout).until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector(css)));
    }

    /** Clicks what submits a form or follows a link, and waits until the next page has loaded. */
    void clickAndWait(WebElement target) {
        WebElement page = driver.findElement(By.tagName("html"));
        target.click();
        waitForNextPage(page);
    }

    /** Waits until {@code old} (the previous page's root, or null if there was none) is gone and the new page has loaded. */
    private void waitForNextPage(WebElement old) {
        WebDriverWait wait = new WebDriverWait(driver, Duration.ofSeconds(60));
        if (old != null) {
            // The old page is gone once its root is stale; mid-navigation Chromium may also say the node left the document.
            wait.until(d -> {
                try {
                    old.isEnabled();
                    return false;
                } catch (org.openqa.selenium.StaleElementReferenceException e) {
                    return true;
                } catch (org.openqa.selenium.WebDriverException e) {
                    return String.valueOf(e.getMessage()).contains("does not belong to the document");
                }
            });
        }
        wait.until(d -> "complete".equals(((JavascriptExecutor) d).executeScript("return document.readyState")));
    }

    public void clickAndWait(String css) {
        clickAndWait(find(css));
    }

    public void waitUntilTextContains(String css, String text, Duration timeout) {
        new WebDriverWait(driver, timeout).until(ExpectedConditions.textToBePresentInElementLocated(By.cssSelector(css), text));
    }

    /** Whether an image has loaded (waiting up to 10 s: pages load some images lazily). */
    boolean imageLoaded(WebElement image) {
        try {
            new WebDriverWait(driver, Duration.ofSeconds(10)).until(d ->
                    Boolean.TRUE.equals(script("return arguments[0].complete && arguments[0].naturalWidth > 0;", image)));
            return true;
        } catch (org.openqa.selenium.TimeoutException e) {
            return false;
        }
    }

    Object script(String script, Object... args) {
        return ((JavascriptExecutor) driver).executeScript(script, args);
    }

    void resize(int width, int height) {
        driver.manage().window().setSize(new Dimension(width, height));
    }

    /** Saves the page as {@code target/screenshots/<name>.png}. */
    public Path screenshot(String name) {
        try {
            Files.createDirectories(SCREENSHOTS);
            Path target = SCREENSHOTS.resolve(name + ".png");
            Files.copy(driver.getScreenshotAs(OutputType.FILE).toPath(), target, StandardCopyOption.REPLACE_EXISTING);
            return target;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Console errors since the last call: CSP violations, script errors, failed loads. */
    List<String> consoleErrors() {
        return driver.manage().logs().get(LogType.BROWSER).getAll().stream()
                .filter(entry -> entry.getLevel().intValue() >= Level.SEVERE.intValue())
                .map(LogEntry::getMessage)
                .toList();
    }

    /** Console errors other than the expected failed loads (a page answered 404 on purpose, for example). */
    public void assertNoConsoleErrors(String... expectedFragments) {
        List<String> unexpected = consoleErrors().stream()
                .filter(message -> Stream.of(expectedFragments).noneMatch(message::contains))
                .toList();
        assertEquals(List.of(), unexpected, "browser console errors on " + driver.getCurrentUrl());
    }

    /** Every visible form control has a label a screen reader announces. */
    void assertControlsLabelled() {
        Object unlabelled = script("""
                return Array.from(document.querySelectorAll('input:not([type=hidden]):not([type=submit]), select, textarea'))
                    .filter(c => c.offsetParent !== null || c.type === 'file')
                    .filter(c => !(c.labels && c.labels.length) && !c.getAttribute('aria-label') && !c.getAttribute('aria-labelledby'))
                    .map(c => c.id || c.name);
                """);
        assertEquals(List.of(), unlabelled, "form controls without a label on " + driver.getCurrentUrl());
    }

    /** The page fits the window's width: nothing to scroll sideways (phones). */
    void assertNoHorizontalScroll() {
        Number overflow = (Number) script("return document.documentElement.scrollWidth - document.documentElement.clientWidth;");
        assertTrue(overflow.intValue() <= 0, "the page is " + overflow + " px wider than the window at " + driver.getCurrentUrl());
    }

    /** Waits for a finished download (Chromium writes {@code .crdownload} until it is complete). */
    Path awaitDownload(String name, Duration timeout) {
        Path file = downloads.resolve(name);
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (Files.isRegularFile(file) && !Files.exists(downloads.resolve(name + ".crdownload"))) {
                return file;
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
        throw new AssertionError("no download " + name + " within " + timeout + "; folder holds " + listing(downloads));
    }

    private static List<String> listing(Path folder) {
        try (Stream<Path> files = Files.list(folder)) {
            return files.map(p -> p.getFileName().toString()).toList();
        } catch (IOException e) {
            return List.of(e.toString());
        }
    }

    /**
     * Forgets what a test left behind, so that the next test of the class meets the browser as if it had just
     * started: no cookies (sessions, unlock cookies), storage or cache of any site, no network throttling, the
     * start window size, no console messages, an empty download folder, and a blank page.
     */
    void reset() {
        driver.deleteNetworkConditions(); // chromedriver accepts this when nothing was set, too
        driver.get("about:blank");
        driver.executeCdpCommand("Network.clearBrowserCookies", Map.of());
        driver.executeCdpCommand("Network.clearBrowserCache", Map.of());
        String origin = TeledropClient.BASE.getScheme() + "://" + TeledropClient.BASE.getRawAuthority();
        driver.executeCdpCommand("Storage.clearDataForOrigin", Map.of("origin", origin, "storageTypes", "all"));
        driver.manage().window().setSize(windowSize);
        consoleErrors();
        deleteTree(downloads, false);
    }

    /** Quits Chromium and chromedriver and removes the profile and download folders. */
    @Override
    public void close() {
        try {
            driver.quit();
        } finally {
            deleteTree(profile, true);
            deleteTree(downloads, true);
        }
    }

    /** Deletes what is inside {@code root}, and {@code root} itself if asked. */
    private static void deleteTree(Path root, boolean withRoot) {
        try (Stream<Path> paths = Files.walk(root)) {
            paths.sorted(Comparator.reverseOrder())
                    .filter(path -> withRoot || !path.equals(root))
                    .forEach(path -> path.toFile().delete());
        } catch (IOException e) {
            // A leftover temp folder is harmless; the test's outcome does not depend on it.
        }
    }
}
