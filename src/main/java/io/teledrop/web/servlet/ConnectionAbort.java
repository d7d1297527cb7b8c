package io.teledrop.web.servlet;

import jakarta.servlet.ServletResponse;
import jakarta.servlet.ServletResponseWrapper;
import java.io.IOException;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Drops a committed response's connection, so that a client cannot mistake a broken body for a complete one.
 * The Servlet API has no way to say "abort" (an exception thrown after commit makes Liberty append an error
 * text and end the chunked body cleanly). Liberty closes the socket without the final chunk when its body
 * stream holds an error, as it does for a client that went away; this sets that error, found by reflection
 * from the response object, and falls back to throwing where the internals differ.
 */
final class ConnectionAbort {

    private static final Logger LOG = Logger.getLogger(ConnectionAbort.class.getName());

    private ConnectionAbort() {
    }

    /**
     * Aborts the connection of a committed response; the caller writes nothing more and returns normally.
     *
     * @throws IOException if the connection could not be aborted this way (the container then ends the
     *                     response as it can: for a response with Content-Length that is still short)
     */
    static void abort(ServletResponse response) throws IOException {
        ServletResponse unwrapped = response;
        while (unwrapped instanceof ServletResponseWrapper wrapper) {
            unwrapped = wrapper.getResponse();
        }
        try {
            Object containerResponse = method(unwrapped, "getIResponse").invoke(unwrapped);
            Object httpResponse = field(containerResponse, "response").get(containerResponse);
            Object body = method(httpResponse, "getBody").invoke(httpResponse);
            field(body, "error").set(body, new IOException("Teledrop aborted the response after a storage failure"));
        } catch (ReflectiveOperationException | RuntimeException e) {
            LOG.log(Level.WARNING, "Could not abort the connection of a failed download on this container", e);
            throw new IOException("download aborted after a storage failure", e);
        }
    }

    private static Method method(Object target, String name) throws NoSuchMethodException {
        for (Class<?> type = target.getClass(); type != null; type = type.getSuperclass()) {
            for (Method method : type.getDeclaredMethods()) {
                if (method.getName().equals(name) && method.getParameterCount() == 0) {
                    method.setAccessible(true);
                    return method;
                }
            }
        }
        throw new NoSuchMethodException(target.getClass().getName() + "." + name + "()");
    }

    private static Field field(Object target, String name) throws NoSuchFieldException {
        for (Class<?> type = target.getClass(); type != null; type = type.getSuperclass()) {
            try {
                Field field = type.getDeclaredField(name);
                field.setAccessible(true);
                return field;
            } catch (NoSuchFieldException e) {
                // look further up
            }
        }
        throw new NoSuchFieldException(target.getClass().getName() + "." + name);
    }
}
