package io.ovserve.api.kserve;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import io.ovserve.api.rest.JsonBodies;
import io.ovserve.api.rest.JsonValues;
import io.ovserve.inference.InferenceRequest;
import io.ovserve.inference.InferenceResponse;
import io.ovserve.inference.InputTensor;
import io.ovserve.inference.ModelRef;
import io.ovserve.inference.OutputTensor;
import io.ovserve.inference.ServingException;
import io.ovserve.inference.Shapes;
import io.ovserve.inference.StatusCode;
import io.ovserve.inference.TypedValues;
import io.ovserve.openvino.ElementType;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;

/**
 * KServe v2's inference request and response over HTTP: JSON, with the binary data extension (a JSON
 * header of {@code Inference-Header-Content-Length} bytes, then each binary input's
 * {@code binary_data_size} bytes in the order of the inputs), as Triton's and OVMS's clients send it.
 */
final class InferJson {

    /** The header naming how many leading bytes of a body are its JSON, the rest being binary data. */
    static final String HEADER_LENGTH = "Inference-Header-Content-Length";

    private InferJson() {
    }

    /** A parsed request: the internal request, and how the caller wants each output back. */
    record Request(InferenceRequest inference, String id, boolean binaryByDefault, Map<String, Boolean> binary) {

        boolean binary(String output) {
            return binary.getOrDefault(output, binaryByDefault);
        }
    }

    /** A reply body: JSON, followed by binary outputs when {@code headerLength} is present. */
    record Reply(byte[] body, OptionalInt headerLength) {
    }

    static Request toInference(ModelRef ref, JsonBodies bodies, byte[] body, OptionalInt headerLength) {
        int jsonLength = headerLength.orElse(body.length);
        if (jsonLength < 0 || jsonLength > body.length) {
            throw new ServingException(StatusCode.INVALID_CONTENT_SIZE, HEADER_LENGTH + " is " + jsonLength
                    + " but the body has " + body.length + " bytes");
        }
        JsonNode json = bodies.parse(body, jsonLength, "KServe v2's inference request");
        ByteBuffer binary = ByteBuffer.wrap(body, jsonLength, body.length - jsonLength).slice();
        Map<String, InputTensor> inputs = new LinkedHashMap<>();
        for (JsonNode input : array(json, "inputs", true)) {
            String name = text(input, "name", "an input");
            if (inputs.put(name, input(name, input, binary)) != null) {
                throw new ServingException(StatusCode.UNEXPECTED_INPUT,
                        "input " + name + " appears more than once in the request");
            }
        }
        if (binary.hasRemaining()) {
            throw new ServingException(StatusCode.INVALID_CONTENT_SIZE, binary.remaining() + " bytes after the JSON"
                    + " are not claimed by any input's binary_data_size");
        }
        Set<String> outputs = new HashSet<>();
        Map<String, Boolean> binaryOutputs = new HashMap<>();
        for (JsonNode output : array(json, "outputs", false)) {
            String name = text(output, "name", "an output");
            outputs.add(name);
            JsonNode flag = output.path("parameters").path("binary_data");
            if (flag.isBoolean()) {
                binaryOutputs.put(name, flag.booleanValue());
            }
        }
        JsonNode id = json.path("id");
        return new Request(new InferenceRequest(ref, inputs, Set.copyOf(outputs)), id.isTextual() ? id.textValue() : "",
                json.path("parameters").path("binary_data_output").asBoolean(false), binaryOutputs);
    }

    private static List<JsonNode> array(JsonNode json, String field, boolean required) {
        JsonNode node = json.get(field);
        if (node == null && !required) {
            return List.of();
        }
        if (node == null || !node.isArray()) {
            throw new ServingException(StatusCode.INVALID_REQUEST, "the request needs \"" + field + "\", an array");
        }
        List<JsonNode> elements = new ArrayList<>();
        node.forEach(element -> {
            if (!element.isObject()) {
                throw new ServingException(StatusCode.INVALID_REQUEST, "each entry of \"" + field
                        + "\" is an object, got " + element);
            }
            elements.add(element);
        });
        return elements;
    }

    private static String text(JsonNode json, String field, String what) {
        JsonNode node = json.get(field);
        if (node == null || !node.isTextual()) {
            throw new ServingException(StatusCode.INVALID_REQUEST, what + " needs \"" + field + "\", a string: " + json);
        }
        return node.textValue();
    }

    private static InputTensor input(String name, JsonNode input, ByteBuffer binary) {
        JsonNode shapeNode = input.get("shape");
        if (shapeNode == null || !shapeNode.isArray()) {
            throw new ServingException(StatusCode.INVALID_SHAPE, "input " + name + " needs \"shape\", an array");
        }
        long[] dims = new long[shapeNode.size()];
        for (int i = 0; i < dims.length; i++) {
            if (!shapeNode.get(i).canConvertToLong() || !shapeNode.get(i).isIntegralNumber()) {
                throw new ServingException(StatusCode.INVALID_SHAPE, "input " + name + ": shape " + shapeNode
                        + " is not a list of integers");
            }
            dims[i] = shapeNode.get(i).longValue();
        }
        long[] shape = Shapes.nonNegative(name, dims);
        String datatype = text(input, "datatype", "input " + name);
        Optional<ByteBuffer> data = binaryData(name, input.path("parameters").path("binary_data_size"), binary);
        if (KServeDataTypes.BYTES.equals(datatype)) {
            return images(name, shape, input, data);
        }
        ElementType type = KServeDataTypes.toOpenVino(name, datatype);
        ByteBuffer values = data.isPresent() ? data.get() : typedValues(name, type, shape, input);
        return new InputTensor.Raw(type, shape, values.order(ByteOrder.LITTLE_ENDIAN));
    }

    /** The input's bytes in the binary part, if it names a {@code binary_data_size}: a number, or a list (images). */
    private static Optional<ByteBuffer> binaryData(String name, JsonNode size, ByteBuffer binary) {
        if (size.isMissingNode() || size.isNull()) {
            return Optional.empty();
        }
        long bytes = 0;
        for (JsonNode part : size.isArray() ? size : List.of(size)) {
            if (!part.isIntegralNumber() || !part.canConvertToLong() || part.longValue() < 0) {
                throw new ServingException(StatusCode.INVALID_CONTENT_SIZE, "input " + name
                        + ": binary_data_size is a number of bytes, or a list of them, got " + size);
            }
            bytes += Math.min(part.longValue(), Integer.MAX_VALUE); // a part beyond a body's size fails below, summed or not
            if (bytes > binary.remaining()) {
                throw new ServingException(StatusCode.INVALID_CONTENT_SIZE, "input " + name + ": binary_data_size "
                        + size + " is more than the " + binary.remaining() + " bytes left after the JSON");
            }
        }
        ByteBuffer data = binary.slice(binary.position(), (int) bytes);
        binary.position(binary.position() + (int) bytes);
        return Optional.of(data);
    }

    /**
     * Encoded images, one per element: binary data split by a list of sizes (OVMS), as 4-byte
     * length-prefixed elements (Triton's BYTES), or one image's own bytes; or JSON strings.
     */
    private static InputTensor images(String name, long[] shape, JsonNode input, Optional<ByteBuffer> data) {
        List<ByteBuffer> images = new ArrayList<>();
        JsonNode size = input.path("parameters").path("binary_data_size");
        if (data.isPresent() && size.isArray()) {
            ByteBuffer bytes = data.get();
            for (JsonNode part : size) {
                images.add(bytes.slice(bytes.position(), part.asInt()));
                bytes.position(bytes.position() + part.asInt());
            }
        } else if (data.isPresent()) {
            // length-prefixed when the bytes split exactly so; else one image's own bytes (a JPEG or PNG
            // header never reads as a length that fits)
            if (!data.get().hasRemaining() || !InferInputReader.splitLengthPrefixed(data.get(), images)) {
                images = List.of(data.get());
            }
        } else {
            for (JsonNode value : flatten(name, input)) {
                if (!value.isTextual()) {
                    throw new ServingException(StatusCode.INVALID_REQUEST, "input " + name
                            + ": BYTES data holds strings, got " + value);
                }
                images.add(ByteBuffer.wrap(value.textValue().getBytes(StandardCharsets.UTF_8)));
            }
        }
        return InputTensor.EncodedImages.counted(name, shape, data.isPresent() ? "binary data" : "data", images);
    }

    /** The values of "data", nested arrays read in row-major order. */
    private static List<JsonNode> flatten(String name, JsonNode input) {
        JsonNode data = input.get("data");
        if (data == null) {
            throw new ServingException(StatusCode.INVALID_REQUEST, "input " + name
                    + " has neither \"data\" nor a binary_data_size parameter");
        }
        List<JsonNode> values = new ArrayList<>();
        flatten(data, values);
        return values;
    }

    private static void flatten(JsonNode node, List<JsonNode> values) {
        if (node.isArray()) {
            node.forEach(element -> flatten(element, values));
        } else {
            values.add(node);
        }
    }

    private static ByteBuffer typedValues(String name, ElementType type, long[] shape, JsonNode input) {
        List<JsonNode> values = flatten(name, input);
        return TypedValues.pack(name, type, shape, "data", values.size(),
                (buffer, i) -> JsonValues.put(buffer, type, name, i, values.get(i)));
    }

    static Reply fromInference(InferenceResponse response, Request request) {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        List<byte[]> binary = new ArrayList<>();
        try (JsonGenerator json = JsonBodies.JSON.getFactory().createGenerator(body)) {
            json.writeStartObject();
            json.writeStringField("model_name", response.modelName());
            json.writeStringField("model_version", Long.toString(response.version()));
            if (!request.id().isEmpty()) {
                json.writeStringField("id", request.id());
            }
            json.writeArrayFieldStart("outputs");
            for (Map.Entry<String, OutputTensor> output : response.outputs().entrySet()) {
                OutputTensor tensor = output.getValue();
                json.writeStartObject();
                json.writeStringField("name", output.getKey());
                json.writeStringField("datatype", KServeDataTypes.toKServe(tensor.type()));
                json.writeArrayFieldStart("shape");
                for (long dim : tensor.shape()) {
                    json.writeNumber(dim);
                }
                json.writeEndArray();
                if (request.binary(output.getKey())) {
                    json.writeObjectFieldStart("parameters");
                    json.writeNumberField("binary_data_size", tensor.data().length);
                    json.writeEndObject();
                    binary.add(tensor.data());
                } else {
                    json.writeArrayFieldStart("data");
                    JsonValues.writeFlat(json, tensor);
                    json.writeEndArray();
                }
                json.writeEndObject();
            }
            json.writeEndArray();
            json.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (binary.isEmpty()) {
            return new Reply(body.toByteArray(), OptionalInt.empty());
        }
        int jsonLength = body.size();
        binary.forEach(body::writeBytes);
        return new Reply(body.toByteArray(), OptionalInt.of(jsonLength));
    }
}
