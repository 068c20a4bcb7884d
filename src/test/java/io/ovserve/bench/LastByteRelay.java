package io.ovserve.bench;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;

/**
 * A loopback relay between a bench client and the server that notes when it last handed the client's bytes
 * to the server's socket, so a vector's answer can be timed from its last byte sent rather than from its
 * start: an upload of 100 MB from a cold client takes seconds that are not the server's refusal. Whatever the
 * protocol (HTTP/1.1, HTTP/2), the client sends nothing else between a call's last byte and its answer, so
 * the last write before the answer is that byte (give or take an HTTP/2 ping ack). A byte handed over may
 * still sit in the kernel's socket buffers (a few MB on loopback): the time then includes the server
 * reading them, so it errs high, never low.
 */
final class LastByteRelay implements AutoCloseable {

    private final ServerSocket listener;
    private final InetSocketAddress server;
    private volatile long lastSent = System.nanoTime();

    /** Relays connections to {@code hostPort} ({@code HOST:PORT}) from a free loopback port. */
    LastByteRelay(String hostPort) throws IOException {
        int colon = hostPort.lastIndexOf(':');
        this.server = new InetSocketAddress(hostPort.substring(0, colon), Integer.parseInt(hostPort.substring(colon + 1)));
        this.listener = new ServerSocket(0, 50, java.net.InetAddress.getLoopbackAddress());
        daemon(this::accept);
    }

    /** Where the client connects instead of the server: {@code 127.0.0.1:PORT}. */
    String address() {
        return "127.0.0.1:" + listener.getLocalPort();
    }

    /** Milliseconds from the last byte handed to the server to now (the answer). */
    long millisSinceLastByteSent() {
        return (System.nanoTime() - lastSent) / 1_000_000;
    }

    private void accept() {
        try {
            while (true) {
                Socket client = listener.accept();
                Socket upstream = new Socket(server.getAddress(), server.getPort());
                client.setTcpNoDelay(true);
                upstream.setTcpNoDelay(true);
                daemon(() -> pump(client, upstream, true));
                daemon(() -> pump(upstream, client, false));
            }
        } catch (IOException closed) {
            // the relay is closed: the bench is done
        }
    }

    private void pump(Socket from, Socket to, boolean toServer) {
        byte[] buffer = new byte[64 * 1024];
        try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
            int n;
            while ((n = in.read(buffer)) >= 0) {
                out.write(buffer, 0, n);
                if (toServer) {
                    lastSent = System.nanoTime();
                }
            }
        } catch (IOException ended) {
            // one side closed or reset: close the other below
        } finally {
            closeQuietly(from);
            closeQuietly(to);
        }
    }

    private static void daemon(Runnable task) {
        Thread thread = new Thread(task, "last-byte-relay");
        thread.setDaemon(true);
        thread.start();
    }

    private static void closeQuietly(Socket socket) {
        try {
            socket.close();
        } catch (IOException ignored) {
            // closing anyway
        }
    }

    @Override
    public void close() throws IOException {
        listener.close();
    }
}
