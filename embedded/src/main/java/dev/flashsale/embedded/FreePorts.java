package dev.flashsale.embedded;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;

/** Random free ports on 127.0.0.1: other test JVMs run on this machine at the same time, so never a fixed port. */
public final class FreePorts {

    private FreePorts() {
    }

    /**
     * Asks the kernel for {@code count} distinct free ports. All the sockets are held open until every port is
     * picked, so the same port cannot be handed out twice in one call. A port can still be taken by someone else
     * between this call and the server's bind: rare enough on loopback, and the server then fails loudly.
     */
    public static int[] pick(int count) {
        ServerSocket[] sockets = new ServerSocket[count];
        try {
            int[] ports = new int[count];
            for (int i = 0; i < count; i++) {
                sockets[i] = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"));
                ports[i] = sockets[i].getLocalPort();
            }
            return ports;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot pick a free port on 127.0.0.1", e);
        } finally {
            for (ServerSocket socket : sockets) {
                try {
                    if (socket != null) {
                        socket.close();
                    }
                } catch (IOException ignored) {
                    // closing a listening socket that accepted nothing cannot lose anything
                }
            }
        }
    }
}
