package io.ovserve.api.rest;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.contains;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.ovserve.support.ServingTest;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.path.json.JsonPath;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Bodies labelled as forms ({@code curl -d} sends {@code application/x-www-form-urlencoded}) are read as
 * the APIs' JSON or binary data, as OVMS reads them: the label is ignored.
 */
@QuarkusTest
class FormLabelledBodiesTest extends ServingTest {

    private static final String FORM = "application/x-www-form-urlencoded";

    @Test
    void aTfsPredictLabelledAFormIsReadAsJsonBeyondTheFormAttributeLimit() {
        // more than quarkus.http.limits.max-form-attribute-size (2048) of JSON
        String body = "{\"instances\": [[1, 2, 3, 4]]}" + " ".repeat(4096);
        given().contentType(FORM).body(body).post("/v1/models/affine:predict").then().statusCode(200)
                .body("predictions", contains(List.of(4f, 7f, 10f, 13f)));
    }

    @Test
    void aKServeInferWithBinaryDataLabelledAFormIsReadAsItsBytes() throws Exception {
        String json = "{\"inputs\": [{\"name\": \"x\", \"shape\": [1, 4], \"datatype\": \"FP32\","
                + " \"parameters\": {\"binary_data_size\": 16}}]}";
        byte[] header = json.getBytes(StandardCharsets.UTF_8);
        ByteBuffer values = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN);
        values.putFloat(1).putFloat(2).putFloat(3).putFloat(Float.intBitsToFloat(0x25252525)); // '%%%%': no URL decoding
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.writeBytes(header);
        body.writeBytes(values.array());
        // as curl --data-binary sends it (REST Assured will not send bytes as a form)
        HttpResponse<String> reply = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create("http://localhost:" + RestAssured.port + "/v2/models/affine/infer"))
                .header("Content-Type", FORM).header("Inference-Header-Content-Length", Integer.toString(header.length))
                .POST(HttpRequest.BodyPublishers.ofByteArray(body.toByteArray())).build(), BodyHandlers.ofString());
        assertEquals(200, reply.statusCode(), reply.body());
        assertEquals(List.of(4.0, 7.0, 10.0, 1.0), JsonPath.from(reply.body()).getList("outputs[0].data", Double.class),
                "3x + 1, the last x being ~1e-16");
    }
}
