package io.ovserve.api.rest;

import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpVersion;
import io.vertx.ext.web.RoutingContext;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Consumer;

/**
 * A REST API's request body, read here before Quarkus REST runs, into the one array the resource then reads,
 * so that it exists once: Quarkus REST gathered the received buffers, copied them into an array for a
 * stream, and its {@code byte[]} reader copied that stream into another (3.1 times a refused body's bytes
 * allocated, {@code ArrivingBodyTest}). The chunks received are kept as they are until a quarter of the
 * announced {@code Content-Length} has arrived, then copied into an array of that length, which takes the
 * rest as it arrives: a client that announces 100 MB and sends little makes the server hold what it sent,
 * and the body is held twice only as the array is placed, at 1.25 times its bytes. A body of no announced
 * length (chunked) is copied into its array at its end (twice its bytes then). Beyond
 * {@code quarkus.http.limits.max-body-size}: 413 and the connection closed, the rest never read. An HTTP/2
 * body must announce its length (411), see {@link #handle}.
 */
public final class ArrivingBody implements Handler<Buffer> {

    private static final String KEY = ArrivingBody.class.getName();
    private static final int GROWTH = 4;
    private static final long MAX_ARRAY = Integer.MAX_VALUE - 8;

    private final HttpServerRequest request;
    private final Consumer<byte[]> arrived;
    private final long announced;
    private final long max;
    private List<Buffer> received = new ArrayList<>(); // until the array is placed
    private byte[] bytes;
    private int length;
    private boolean done;

    private ArrivingBody(HttpServerRequest request, long max, Consumer<byte[]> arrived) {
        this.request = request;
        this.arrived = arrived;
        this.max = Math.min(max, MAX_ARRAY);
        this.announced = announced(request.getHeader(HttpHeaders.CONTENT_LENGTH));
    }

    /**
     * Reads the body of {@code context}'s request, then hands it on to {@code arrived} on the connection's event
     * loop (a body beyond {@code max} bytes is answered 413 instead).
     */
    static void read(RoutingContext context, long max, Consumer<byte[]> arrived) {
        HttpServerRequest request = context.request();
        ArrivingBody body = new ArrivingBody(request, max, arrived);
        if (body.announced > body.max) {
            body.refuse(413);
            return;
        }
        if (body.announced == 0) {
            body.arrived(); // before the end is handed on, as a GET is
            return;
        }
        if (request.version() == HttpVersion.HTTP_2 && body.announced < 0) {
            body.refuse(411);
            return;
        }
        request.handler(body);
        request.endHandler(end -> body.arrived());
        request.resume();
    }

    /** The body of a call whose body has arrived, taken: the resource's call holds it alone from here. */
    public static byte[] take(RoutingContext context) {
        byte[] body = context.remove(KEY);
        return body == null ? new byte[0] : body;
    }

    /** The body, for the resource to {@link #take} (or the filter that inflates it). */
    static void put(RoutingContext context, byte[] body) {
        context.put(KEY, body);
    }

    @Override
    public void handle(Buffer chunk) {
        if (done) {
            return;
        }
        int n = chunk.length();
        if (length + (long) n > max) {
            refuse(413);
            return;
        }
        if (bytes == null) {
            received.add(chunk);
            length += n;
            if (announced > 0 && (long) length * GROWTH >= announced) {
                place((int) Math.max(announced, length));
            }
        } else {
            if (length + n > bytes.length) {
                bytes = Arrays.copyOf(bytes, length + n); // more than announced: HTTP/2 does not hold a sender to it
            }
            chunk.getBytes(0, n, bytes, length);
            length += n;
        }
        if (length == announced && request.version() == HttpVersion.HTTP_2) {
            arrived(); // not at the stream's end: Quarkus REST pauses the request it is handed, which HTTP/2 refuses once ended
        }
    }

    /** The chunks received so far copied into the body's array, of {@code capacity} bytes, and let go. */
    private void place(int capacity) {
        bytes = new byte[capacity];
        int at = 0;
        for (Buffer chunk : received) {
            chunk.getBytes(0, chunk.length(), bytes, at);
            at += chunk.length();
        }
        received = null;
    }

    private void arrived() {
        if (!done) {
            done = true;
            if (bytes == null) {
                place(length); // chunked, or less than announced
            }
            byte[] whole = length == bytes.length ? bytes : Arrays.copyOf(bytes, length);
            bytes = null;
            arrived.accept(whole);
        }
    }

    /**
     * 413, as Quarkus answers a body beyond max-body-size, or 411 for an HTTP/2 body of no announced length;
     * the connection (HTTP/2: the stream) closed after it.
     */
    private void refuse(int status) {
        done = true;
        received = null;
        bytes = null;
        if (!request.response().headWritten()) {
            request.response().setStatusCode(status).putHeader(HttpHeaders.CONNECTION, "close").end();
        }
        if (request.version() == HttpVersion.HTTP_2) {
            request.response().reset(); // this stream only: the connection carries others
        } else {
            request.connection().close();
        }
    }

    private static long announced(String contentLength) {
        try {
            return contentLength == null ? -1 : Long.parseLong(contentLength.trim());
        } catch (NumberFormatException e) {
            return -1;
        }
    }
}
