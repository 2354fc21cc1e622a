package dev.flashsale.embedded;

import java.io.IOException;
import java.lang.reflect.InvocationTargetException;
import java.util.Arrays;

/**
 * Main class of a child JVM: runs the real main class given as first argument, and ends the child when the parent
 * JVM is gone.
 *
 * <p>The parent's shutdown hook covers a normal exit, but a parent killed with SIGKILL (a surefire fork timing out,
 * a {@code kill -9}) runs no hook. The parent keeps the child's stdin pipe open for its whole life; the kernel closes
 * it when the parent dies, whatever the cause, so end-of-file on stdin means "orphaned".
 */
final class OrphanGuard {

    private OrphanGuard() {
    }

    public static void main(String[] args) throws Throwable {
        Thread watch = new Thread(() -> {
            try {
                while (System.in.read() != -1) {
                    // the parent never writes: only end-of-file matters
                }
            } catch (IOException ignored) {
                // a broken pipe means the same as end-of-file
            }
            System.err.println("stdin closed: the parent JVM is gone or is stopping this one, exiting");
            System.exit(1); // runs the server's own shutdown hook, so it still stops cleanly
        }, "orphan-guard");
        watch.setDaemon(true);
        watch.start();
        try {
            Class.forName(args[0])
                    .getMethod("main", String[].class)
                    .invoke(null, (Object) Arrays.copyOfRange(args, 1, args.length));
        } catch (InvocationTargetException e) {
            throw e.getCause(); // the server's own failure, not the reflection wrapper, belongs in its log
        }
    }
}
