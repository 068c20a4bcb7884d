package io.ovserve.api.rest;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.contains;

import com.sun.management.ThreadMXBean;
import io.ovserve.support.ServingTest;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/**
 * A REST request body exists once on the server: copied as it arrives into the array the resource reads
 * ({@link ArrivingBody}), not gathered, copied into a stream and copied out of it again.
 */
@QuarkusTest
class ArrivingBodyTest extends ServingTest {

    private static final String AFFINE_JSON = """
            {"inputs": [{"name": "x", "shape": [1, 4], "datatype": "FP32", "data": [1, 2, 3, 4]}]}""";

    @Test
    void aRefusedBodyCostsTheServerTheBytesItReceivesAndOneArrayOfThem() throws IOException {
        int zeros = 8_000_000;
        byte[] body = ("{\"inputs\": [{\"name\": \"x\", \"shape\": [1, 4], \"datatype\": \"FP32\", \"data\": ["
                + "0,".repeat(zeros - 1) + "0]}]}").getBytes(StandardCharsets.US_ASCII);
        assertThat(post(body)).startsWith("HTTP/1.1 400");
        long before = allocatedByEveryThread(); // the second: classes loaded, code compiled, as a replica's

        String status = post(body);

        long allocated = allocatedByEveryThread() - before;
        assertThat(status).startsWith("HTTP/1.1 400");
        // the chunks Vert.x receives and the one array: about 2x (Quarkus REST's reading added an array of the
        // chunks for a stream and a copy of that: 3.1x)
        assertThat(allocated).as("bytes allocated in this JVM to refuse %d bytes", body.length)
                .isLessThan(5L * body.length / 2);
        given().body(AFFINE_JSON).post("/v2/models/affine/infer").then().statusCode(200)
                .body("outputs[0].data", contains(4f, 7f, 10f, 13f));
    }

    /** The response's status line to {@code body} POSTed as KServe inference over a plain socket (no client copies). */
    private static String post(byte[] body) throws IOException {
        try (Socket socket = new Socket("localhost", RestAssured.port)) {
            OutputStream out = socket.getOutputStream();
            out.write(("POST /v2/models/affine/infer HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
                    + "Content-Length: " + body.length + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.write(body);
            out.flush();
            InputStream in = socket.getInputStream();
            ByteArrayOutputStream line = new ByteArrayOutputStream();
            for (int b = in.read(); b >= 0 && b != '\r'; b = in.read()) {
                line.write(b);
            }
            in.transferTo(OutputStream.nullOutputStream()); // the answer read whole: the server is done with it
            return line.toString(StandardCharsets.US_ASCII);
        }
    }

    private static long allocatedByEveryThread() {
        ThreadMXBean threads = (ThreadMXBean) ManagementFactory.getThreadMXBean();
        return Arrays.stream(threads.getThreadAllocatedBytes(threads.getAllThreadIds())).filter(bytes -> bytes > 0).sum();
    }
}
