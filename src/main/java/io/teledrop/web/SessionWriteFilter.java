package io.teledrop.web;

import io.teledrop.security.RequestAuthenticationMechanism;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.annotation.WebFilter;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.WriteListener;
import jakarta.servlet.http.HttpServletResponseWrapper;
import jakarta.servlet.http.HttpSession;
import java.io.IOException;
import java.io.PrintWriter;
import java.lang.reflect.Method;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Writes a page's session to its store before the browser can send the next request, so that with sessions
 * in the database (a cluster without sticky sessions, docs/cluster.md) the next request finds it on any
 * server. Liberty writes a persisted session after the request ends, which can be after the browser already
 * has a redirect (the admin login) or the page (whose Faces view is in the session) and has sent the next
 * request to another server. So before a redirect goes out, and after a page, held in a buffer large enough
 * for it, the session is synced ({@code com.ibm.websphere.servlet.session.IBMSession.sync}, by reflection: it is
 * Liberty's API, and a no-op for sessions kept in memory). Nothing may shrink that buffer: Faces sets it to
 * {@code jakarta.faces.FACELETS_BUFFER_SIZE} (1 KiB) before it renders, which sent a page's first KiB (the session
 * cookie, the stylesheet link) before the view was in the session, and then this filter skipped the sync.
 * Stylesheets, scripts and images Faces serves pass straight through: they never use the session.
 */
// FORWARD too: the welcome page (index.xhtml for "/") is reached by a forward.
@WebFilter(filterName = "sessionWrite", urlPatterns = {"*.xhtml", "/auth/*"}, dispatcherTypes = {DispatcherType.REQUEST, DispatcherType.FORWARD})
public class SessionWriteFilter extends HttpFilter {

    private static final Logger LOG = Logger.getLogger(SessionWriteFilter.class.getName());
    private static final Method SYNC = syncMethod();

    /** Pages stay in the buffer until the session is written: every admin page is far smaller, a drop's page of thousands of files may not be. */
    private static final int PAGE_BUFFER = 256 * 1024;

    @Override
    protected void doFilter(HttpServletRequest request, HttpServletResponse response, FilterChain chain) throws IOException, ServletException {
        if (RequestAuthenticationMechanism.withoutSession(request)) {
            chain.doFilter(request, response);
            return;
        }
        if (!response.isCommitted()) {
            response.setBufferSize(PAGE_BUFFER);
        }
        chain.doFilter(request, new HttpServletResponseWrapper(response) {
            private PrintWriter writer;
            private ServletOutputStream stream;

            @Override
            public void sendRedirect(String location) throws IOException {
                sync(request.getSession(false));
                super.sendRedirect(location);
            }

            // A flush would send the page before its session is written (Faces flushes what it rendered): held
            // until the chain is done, when the session is written first and the container sends the page.
            @Override
            public void flushBuffer() {
            }

            // A smaller buffer would send the page as soon as it fills, the same as a flush: Faces asks for
            // jakarta.faces.FACELETS_BUFFER_SIZE (1 KiB by default) before it renders a view.
            @Override
            public void setBufferSize(int size) {
                super.setBufferSize(Math.max(size, PAGE_BUFFER));
            }

            @Override
            public PrintWriter getWriter() throws IOException {
                if (writer == null) {
                    writer = new PrintWriter(super.getWriter(), false) {
                        @Override
                        public void flush() {
                        }
                    };
                }
                return writer;
            }

            @Override
            public ServletOutputStream getOutputStream() throws IOException {
                if (stream == null) {
                    ServletOutputStream out = super.getOutputStream();
                    stream = new ServletOutputStream() {
                        @Override
                        public void write(int b) throws IOException {
                            out.write(b);
                        }

                        @Override
                        public void write(byte[] bytes, int offset, int length) throws IOException {
                            out.write(bytes, offset, length);
                        }

                        @Override
                        public boolean isReady() {
                            return out.isReady();
                        }

                        @Override
                        public void setWriteListener(WriteListener listener) {
                            out.setWriteListener(listener);
                        }
                    };
                }
                return stream;
            }
        });
        if (!response.isCommitted()) {
            sync(request.getSession(false));
        } else if (response.getStatus() < 300 && request.getSession(false) != null) {
            // A page that left early (over the buffer: a drop of thousands of files, or flushed) may reach the
            // next server before its session; FINE, since a large drop's page does so on every view.
            LOG.fine(() -> "A page left before its session was written: " + request.getRequestURI() + " " + RequestIdFilter.instance(request));
        }
    }

    private static void sync(HttpSession session) {
        if (session == null || SYNC == null) {
            return;
        }
        try {
            SYNC.invoke(session);
        } catch (ReflectiveOperationException | IllegalStateException e) {
            LOG.log(Level.FINE, "Could not write the session before answering", e);
        }
    }

    private static Method syncMethod() {
        try {
            return Class.forName("com.ibm.websphere.servlet.session.IBMSession").getMethod("sync");
        } catch (ReflectiveOperationException | LinkageError e) {
            LOG.fine("No IBMSession here: sessions are written when the container writes them");
            return null;
        }
    }
}
