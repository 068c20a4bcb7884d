package io.ovserve.client.support;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * What a Kubernetes Service gives (kube-proxy): an L4 balancer that picks a backend per TCP
 * connection, round-robin, and then only copies bytes. One long-lived gRPC connection through it
 * reaches one replica for good.
 */
public final class ConnectionBalancer implements AutoCloseable {

    private final ServerSocket listener;
    private final List<String> backends;
    private final AtomicInteger next = new AtomicInteger();

    public ConnectionBalancer(List<String> backends) {
        this.backends = backends;
        try {
            this.listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        daemon(this::accept, "l4-accept").start();
    }

    /** For the benchmark: {@code ConnectionBalancer host:port,host:port} prints its port and runs until killed. */
    public static void main(String[] args) throws InterruptedException {
        ConnectionBalancer balancer = new ConnectionBalancer(List.of(args[0].split(",")));
        System.out.println(balancer.port());
        Thread.currentThread().join();
    }

    public int port() {
        return listener.getLocalPort();
    }

    private void accept() {
        while (!listener.isClosed()) {
            try {
                Socket client = listener.accept();
                String[] backend = backends.get(Math.floorMod(next.getAndIncrement(), backends.size())).split(":");
                Socket server = new Socket(backend[0], Integer.parseInt(backend[1]));
                daemon(() -> copy(client, server), "l4-up").start();
                daemon(() -> copy(server, client), "l4-down").start();
            } catch (IOException e) {
                // listener closed, or a backend refused: the client sees its connection fail
            }
        }
    }

    private static void copy(Socket from, Socket to) {
        try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
            in.transferTo(out);
        } catch (IOException e) {
            // one side closed
        } finally {
            try {
                from.close();
                to.close();
            } catch (IOException e) {
                // already closed
            }
        }
    }

    private static Thread daemon(Runnable task, String name) {
        Thread thread = new Thread(task, name);
        thread.setDaemon(true);
        return thread;
    }

    @Override
    public void close() {
        try {
            listener.close();
        } catch (IOException e) {
            // closing anyway
        }
    }
}
