package io.teledrop.it;

import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * Kills a process the tests started when the test JVM ends, however it ends (a failed test, a killed build):
 * a small shell watches both and SIGKILLs the child once the JVM is gone. The child's own end ends the watch.
 */
public final class Reaper {

    private Reaper() {
    }

    public static void killWhenTestEnds(Process child) {
        long jvm = ProcessHandle.current().pid();
        long pid = child.pid();
        String watch = "while kill -0 " + jvm + " 2>/dev/null; do kill -0 " + pid + " 2>/dev/null || exit 0; sleep 1; done; kill -9 " + pid + " 2>/dev/null";
        try {
            new ProcessBuilder("setsid", "bash", "-c", watch).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot watch process " + pid, e);
        }
    }
}
