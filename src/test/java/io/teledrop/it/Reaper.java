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
        watch(child.pid(), Long.toString(child.pid()));
    }

    /** As {@link #killWhenTestEnds}, for a child started by {@code setsid}: its whole process group is killed, and watched until the last of it ends. */
    public static void killGroupWhenTestEnds(Process child) {
        watch(child.pid(), "-- -" + child.pid());
    }

    private static void watch(long pid, String target) {
        long jvm = ProcessHandle.current().pid();
        String watch = "while kill -0 " + jvm + " 2>/dev/null; do kill -0 " + target + " 2>/dev/null || exit 0; sleep 1; done; kill -9 " + target + " 2>/dev/null";
        try {
            new ProcessBuilder("setsid", "bash", "-c", watch).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot watch process " + pid, e);
        }
    }
}
