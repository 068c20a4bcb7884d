package io.ovserve.bench;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * The REST twin of {@link ExpansionVectors}: sends one expansion vector over HTTP to a server of the
 * resnet model (input "0" f32 [1,3,224,224]), then one good call, and prints
 * {@code VECTOR WIRE_BYTES STATUS MILLIS AFTER_LAST_BYTE_MILLIS NEXT_STATUS}, tab-separated (timed as there)
 * ({@code RestExpansionVectors HOST:PORT VECTOR BYTES}). JSON vectors take at most 16,000,000 bytes
 * (under ovserve.rest.max-json-size): rest-kserve-zeros (FP32 "data" of zeros), rest-kserve-sizes (a
 * binary_data_size list of zeros), rest-kserve-strings (empty BYTES strings), rest-tfs-zeros
 * ("instances" of zeros), rest-tfs-b64 (empty {"b64": ""} images); rest-kserve-raw is BYTES bytes of
 * zero-length length-prefixed elements in binary data.
 */
public final class RestExpansionVectors {

    private static final long MAX_JSON = 16_000_000;
    private static final String HEADER_LENGTH = "Inference-Header-Content-Length";
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    private RestExpansionVectors() {
    }

    public static void main(String[] args) throws IOException, InterruptedException {
        try (LastByteRelay relay = new LastByteRelay(args[0])) {
            send(relay, args[1], Long.parseLong(args[2]));
        }
    }

    private static void send(LastByteRelay relay, String vector, long target) throws IOException, InterruptedException {
        String base = "http://" + relay.address();
        long json = Math.min(target, MAX_JSON);
        boolean kserve = vector.startsWith("rest-kserve");
        String path = kserve ? "/v2/models/resnet/infer" : "/v1/models/resnet:predict";
        HttpRequest request = switch (vector) {
            case "rest-kserve-zeros" -> post(base + path, kserveJson("FP32", "[1,3,224,224]", "\"data\": ["
                    + repeat("0,", json / 2) + "0]"), -1);
            case "rest-kserve-sizes" -> {
                String header = kserveJson("BYTES", "[1]", "\"parameters\": {\"binary_data_size\": ["
                        + repeat("0,", json / 2) + "0]}");
                yield post(base + path, header, header.length());
            }
            case "rest-kserve-strings" -> post(base + path, kserveJson("BYTES", "[1]", "\"data\": ["
                    + repeat("\"\",", json / 3) + "\"\"]"), -1);
            case "rest-kserve-raw" -> {
                long elements = target / 4;
                String header = kserveJson("BYTES", "[" + elements + "]", "\"parameters\": {\"binary_data_size\": "
                        + 4 * elements + "}");
                yield post(base + path, withBinary(header, new byte[(int) (4 * elements)]), header.length());
            }
            case "rest-tfs-zeros" -> post(base + path, "{\"instances\": [" + repeat("0,", json / 2) + "0]}", -1);
            case "rest-tfs-b64" -> post(base + path, "{\"instances\": [" + repeat("{\"b64\":\"\"},", json / 11)
                    + "{\"b64\":\"\"}]}", -1);
            default -> throw new IllegalArgumentException("unknown vector " + vector);
        };
        long wire = request.bodyPublisher().orElseThrow().contentLength();
        long start = System.nanoTime();
        String status = call(request);
        long afterLastByte = relay.millisSinceLastByteSent();
        long millis = (System.nanoTime() - start) / 1_000_000;
        String next = call(good(base, kserve));
        System.out.println(String.join("\t", vector, Long.toString(wire), status, Long.toString(millis),
                Long.toString(afterLastByte), next));
    }

    /** A good request: f32 [1,3,224,224] zeros, in binary data (KServe) or nested JSON lists (TFS). */
    private static HttpRequest good(String base, boolean kserve) {
        if (kserve) {
            String header = kserveJson("FP32", "[1,3,224,224]", "\"parameters\": {\"binary_data_size\": "
                    + 3 * 224 * 224 * 4 + "}");
            return post(base + "/v2/models/resnet/infer", withBinary(header, new byte[3 * 224 * 224 * 4]),
                    header.length());
        }
        String row = "[" + repeat("0,", 223) + "0]";
        String plane = "[" + repeat(row + ",", 223) + row + "]";
        return post(base + "/v1/models/resnet:predict", "{\"instances\": [[" + plane + "," + plane + "," + plane
                + "]]}", -1);
    }

    private static String kserveJson(String datatype, String shape, String values) {
        return "{\"inputs\": [{\"name\": \"0\", \"shape\": " + shape + ", \"datatype\": \"" + datatype + "\", "
                + values + "}]}";
    }

    private static String repeat(String text, long times) {
        return text.repeat((int) times);
    }

    private static byte[] withBinary(String json, byte[] binary) {
        ByteArrayOutputStream body = new ByteArrayOutputStream(json.length() + binary.length);
        body.writeBytes(json.getBytes(StandardCharsets.UTF_8));
        body.writeBytes(binary);
        return body.toByteArray();
    }

    private static HttpRequest post(String uri, String body, int headerLength) {
        return post(uri, body.getBytes(StandardCharsets.UTF_8), headerLength);
    }

    /** A POST of {@code body}, whose first {@code headerLength} bytes are its JSON (-1: all of them). */
    private static HttpRequest post(String uri, byte[] body, int headerLength) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(uri)).timeout(Duration.ofMinutes(2))
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        if (headerLength >= 0) {
            request.header(HEADER_LENGTH, Integer.toString(headerLength));
        }
        return request.build();
    }

    private static String call(HttpRequest request) throws IOException, InterruptedException {
        HttpResponse<String> response = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
        String body = response.body();
        return response.statusCode() + " " + (body.length() > 160 ? body.substring(0, 160) + "..." : body);
    }
}
