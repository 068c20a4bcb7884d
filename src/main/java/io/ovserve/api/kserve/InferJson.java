package io.ovserve.api.kserve;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.ovserve.api.rest.JsonBodies;
import io.ovserve.api.rest.JsonValues;
import io.ovserve.api.rest.NestedValues;
import io.ovserve.inference.CountedInput;
import io.ovserve.inference.InferenceRequest;
import io.ovserve.inference.InferenceResponse;
import io.ovserve.inference.InputTensor;
import io.ovserve.inference.InputValidator;
import io.ovserve.inference.ModelRef;
import io.ovserve.inference.OutputTensor;
import io.ovserve.inference.RequestBounds;
import io.ovserve.inference.ServingException;
import io.ovserve.inference.StatusCode;
import io.ovserve.model.ModelInstance;
import io.ovserve.model.ModelManager;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
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

    /**
     * The request a body holds, read twice: counted first, and checked against the model ({@code models}
     * resolves {@code ref}) before any value is built, so that a refused request costs no more than its
     * bytes; then its values written straight into their tensors, images sliced from the body.
     */
    static Request toInference(ModelRef ref, JsonBodies bodies, byte[] body, OptionalInt headerLength,
            ModelManager models) {
        int jsonLength = headerLength.orElse(body.length);
        if (jsonLength < 0 || jsonLength > body.length) {
            throw new ServingException(StatusCode.INVALID_CONTENT_SIZE, HEADER_LENGTH + " is " + jsonLength
                    + " but the body has " + body.length + " bytes");
        }
        InferJsonCounts request = JsonBodies.read(() -> {
            try (JsonParser parser = bodies.parser(body, jsonLength, "KServe v2's inference request")) {
                return InferJsonCounts.read(parser);
            }
        });
        ByteBuffer binary = ByteBuffer.wrap(body, jsonLength, body.length - jsonLength).slice();
        Map<String, CountedInput> counted = new LinkedHashMap<>();
        for (JsonInputCounts input : request.inputs) {
            CountedInput checked = input.check(binary);
            if (counted.put(input.name(), checked) != null) {
                throw InputValidator.duplicate(input.name());
            }
        }
        if (binary.hasRemaining()) {
            throw new ServingException(StatusCode.INVALID_CONTENT_SIZE, binary.remaining() + " bytes after the JSON"
                    + " are not claimed by any input's binary_data_size");
        }
        ModelInstance instance = models.instance(ref);
        RequestBounds.check(instance.name(), counted, instance.inputs(), instance.imageInput(), instance.queueBytes());
        Map<String, InputTensor> inputs = new LinkedHashMap<>();
        for (JsonInputCounts input : request.inputs) {
            inputs.put(input.name(), JsonBodies.read(() -> tensor(input, counted.get(input.name()), body, jsonLength,
                    binary)));
        }
        return new Request(new InferenceRequest(ref, inputs, Set.copyOf(request.outputs)), request.id,
                request.binaryByDefault, request.binaryOutputs);
    }

    private static InputTensor tensor(JsonInputCounts input, CountedInput counted, byte[] body, int jsonLength,
            ByteBuffer binary) throws IOException {
        String name = input.name();
        if (counted instanceof CountedInput.Values values) {
            ByteBuffer data = input.binary() ? input.binaryData(binary)
                    : typedValues(name, values, body, input.dataOffset(), jsonLength);
            return new InputTensor.Raw(values.type(), values.shape(), data.order(ByteOrder.LITTLE_ENDIAN));
        }
        List<ByteBuffer> images = new ArrayList<>();
        if (input.binary() && input.sizesListed()) {
            ByteBuffer bytes = input.binaryData(binary);
            try (JsonParser sizes = JsonBodies.at(body, input.sizesOffset(), jsonLength)) {
                NestedValues.forEach(sizes, size -> {
                    images.add(bytes.slice(bytes.position(), size.getIntValue()));
                    bytes.position(bytes.position() + size.getIntValue());
                });
            }
        } else if (input.binary()) {
            // length-prefixed when the bytes split exactly so; else one image's own bytes (a JPEG or PNG
            // header never reads as a length that fits)
            ByteBuffer bytes = input.binaryData(binary);
            if (!bytes.hasRemaining() || !InferInputReader.splitLengthPrefixed(bytes, images)) {
                images.clear();
                images.add(bytes);
            }
        } else {
            try (JsonParser data = JsonBodies.at(body, input.dataOffset(), jsonLength)) {
                NestedValues.forEach(data, value -> {
                    if (value.currentToken() != JsonToken.VALUE_STRING) {
                        throw new ServingException(StatusCode.INVALID_REQUEST, "input " + name
                                + ": BYTES data holds strings, got " + JsonValues.shown(value));
                    }
                    images.add(ByteBuffer.wrap(value.getText().getBytes(StandardCharsets.UTF_8)));
                });
            }
        }
        return InputTensor.EncodedImages.counted(name, input.shape(), input.binary() ? "binary data" : "data", images);
    }

    /** The values of "data", nested lists read in row-major order, packed as {@code values} counted them. */
    private static ByteBuffer typedValues(String name, CountedInput.Values values, byte[] body, long offset,
            int jsonLength) throws IOException {
        ByteBuffer buffer = ByteBuffer.allocate((int) values.bytes()).order(ByteOrder.LITTLE_ENDIAN);
        long[] index = {0};
        try (JsonParser data = JsonBodies.at(body, offset, jsonLength)) {
            NestedValues.forEach(data, value -> JsonValues.put(buffer, values.type(), name, index[0]++, value));
        }
        return buffer.flip();
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
