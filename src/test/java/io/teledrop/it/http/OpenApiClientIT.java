package io.teledrop.it.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.teledrop.it.Deployments;
import io.teledrop.it.TeledropClient;
import java.io.File;
import java.io.IOException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Parameter;
import java.net.URL;
import java.net.URLClassLoader;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Stream;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.openapitools.codegen.DefaultGenerator;
import org.openapitools.codegen.config.CodegenConfigurator;
import org.openapitools.codegen.config.GlobalSettings;

/**
 * A client nobody here wrote must work from the served document alone: this test fetches /openapi from the
 * running server, has openapi-generator write a Java client (java, native HttpClient), compiles it, and
 * drives create -> get -> list -> delete with it. Calls go by the generated parameter names (compiled
 * with -parameters), so the test depends on the document, not on guessed signatures.
 */
@ExtendWith(ArquillianExtension.class)
class OpenApiClientIT {

    private static final String API_KEY = System.getProperty("teledrop.it.api-key");

    private final TeledropClient client = new TeledropClient();

    @TempDir
    Path dir;

    @Deployment(testable = false)
    static WebArchive deployment() {
        return Deployments.teledrop();
    }

    @Test
    void aGeneratedClientCreatesGetsListsAndDeletes() throws Exception {
        ClassLoader generated = generateAndCompileClient();
        Object apiClient = generated.loadClass("gen.ApiClient").getConstructor().newInstance();
        invoke(apiClient, "updateBaseUri", Map.of("baseUri", TeledropClient.BASE.toString().replaceAll("/$", "")));
        Object uploads = generated.loadClass("gen.api.UploadsApi").getConstructor(apiClient.getClass()).newInstance(apiClient);
        Object drops = generated.loadClass("gen.api.DropsApi").getConstructor(apiClient.getClass()).newInstance(apiClient);

        Path file = dir.resolve("hello.txt");
        Files.writeString(file, "hello from a generated client");
        String slug = "gen-" + System.nanoTime() % 1_000_000;
        Object created = invoke(uploads, "uploadMultipart", Map.of("_file", List.of(file.toFile()), "slug", slug, "title", "Generated"));
        assertEquals(slug, get(created, "getSlug"));
        String deleteToken = (String) get(created, "getDeleteToken");
        assertEquals(43, deleteToken.length());

        Object fetched = invoke(drops, "getDrop", Map.of("slug", slug));
        assertEquals("Generated", get(fetched, "getTitle"));
        List<?> files = (List<?>) get(fetched, "getFiles");
        assertEquals("hello.txt", get(files.get(0), "getName"));
        assertEquals(TeledropClient.sha256("hello from a generated client".getBytes(StandardCharsets.UTF_8)), get(files.get(0), "getSha256"));

        // Listing needs an API key; the generated API classes take the client's interceptor when they are made.
        Object keyedClient = generated.loadClass("gen.ApiClient").getConstructor().newInstance();
        invoke(keyedClient, "updateBaseUri", Map.of("baseUri", TeledropClient.BASE.toString().replaceAll("/$", "")));
        Consumer<HttpRequest.Builder> withKey = request -> request.header("X-API-Key", API_KEY);
        invoke(keyedClient, "setRequestInterceptor", Map.of("interceptor", withKey));
        Object keyedDrops = generated.loadClass("gen.api.DropsApi").getConstructor(keyedClient.getClass()).newInstance(keyedClient);
        Object page = invoke(keyedDrops, "listDrops", Map.of("prefix", slug, "size", 10));
        assertEquals(1L, ((Number) get(page, "getTotal")).longValue());
        assertEquals(slug, get(((List<?>) get(page, "getItems")).get(0), "getSlug"));

        invoke(drops, "deleteDrop", Map.of("slug", slug, "teledropDeleteToken", deleteToken));
        HttpResponse<String> gone = client.send(client.request("api/drops/" + slug).GET().build());
        assertEquals(404, gone.statusCode());
        // The generated client reports the problem as its ApiException with the status.
        InvocationTargetException missing = assertThrows(InvocationTargetException.class, () -> invoke(drops, "getDrop", Map.of("slug", slug)));
        assertEquals("gen.ApiException", missing.getCause().getClass().getName());
        assertEquals(404, get(missing.getCause(), "getCode"));
    }

    /** Fetches /openapi, generates the client, compiles it; returns a class loader that sees it. */
    private ClassLoader generateAndCompileClient() throws IOException {
        HttpResponse<String> document = client.send(client.request("openapi").header("Accept", "application/json").GET().build());
        assertEquals(200, document.statusCode());
        Path spec = dir.resolve("openapi.json");
        Files.writeString(spec, document.body());

        GlobalSettings.setProperty("apiTests", "false");
        GlobalSettings.setProperty("modelTests", "false");
        GlobalSettings.setProperty("apiDocs", "false");
        GlobalSettings.setProperty("modelDocs", "false");
        CodegenConfigurator configurator = new CodegenConfigurator()
                .setGeneratorName("java")
                .setLibrary("native")
                .setInputSpec(spec.toString())
                .setOutputDir(dir.resolve("client").toString())
                .setInvokerPackage("gen")
                .setApiPackage("gen.api")
                .setModelPackage("gen.model")
                .addAdditionalProperty("useJakartaEe", true)
                .addAdditionalProperty("openApiNullable", false)
                .addAdditionalProperty("hideGenerationTimestamp", true);
        List<File> written = new DefaultGenerator().opts(configurator.toClientOptInput()).generate();
        assertTrue(written.size() > 5, "the generator wrote " + written);

        List<String> sources;
        try (Stream<Path> files = Files.walk(dir.resolve("client/src/main/java"))) {
            sources = files.filter(p -> p.toString().endsWith(".java")).map(Path::toString).toList();
        }
        Path classes = Files.createDirectories(dir.resolve("classes"));
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        List<String> arguments = new ArrayList<>(List.of("-parameters", "-proc:none", "-nowarn", "-d", classes.toString(),
                "-classpath", System.getProperty("java.class.path")));
        arguments.addAll(sources);
        int status = javac.run(null, null, null, arguments.toArray(String[]::new));
        assertEquals(0, status, "the generated client does not compile");
        return new URLClassLoader(new URL[] {classes.toUri().toURL()}, getClass().getClassLoader());
    }

    /** Calls the method of that name whose parameter names are all known or optional; absent names pass null. */
    private static Object invoke(Object target, String name, Map<String, ?> arguments) throws Exception {
        Method method = Arrays.stream(target.getClass().getMethods())
                .filter(m -> m.getName().equals(name))
                .filter(m -> Arrays.stream(m.getParameters()).map(Parameter::getName).toList().containsAll(arguments.keySet()))
                .findFirst().orElseThrow(() -> new AssertionError("the generated " + target.getClass().getSimpleName()
                        + " has no " + name + " taking " + arguments.keySet()));
        Object[] values = Arrays.stream(method.getParameters()).map(p -> arguments.get(p.getName())).toArray();
        return method.invoke(target, values);
    }

    private static Object get(Object target, String getter) throws Exception {
        return target.getClass().getMethod(getter).invoke(target);
    }
}
