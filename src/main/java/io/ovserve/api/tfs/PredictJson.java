package io.ovserve.api.tfs;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import io.ovserve.api.rest.JsonBodies;
import io.ovserve.api.rest.JsonValues;
import io.ovserve.inference.InferenceRequest;
import io.ovserve.inference.InferenceResponse;
import io.ovserve.inference.InputTensor;
import io.ovserve.inference.ModelRef;
import io.ovserve.inference.OutputTensor;
import io.ovserve.inference.ServingException;
import io.ovserve.inference.StatusCode;
import io.ovserve.inference.TypedValues;
import io.ovserve.openvino.ElementType;
import io.ovserve.openvino.PortInfo;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * TensorFlow Serving's REST predict request and response, as OVMS serves them: the row format
 * ({@code "instances"}, answered with {@code "predictions"}) or the columnar one ({@code "inputs"},
 * answered with {@code "outputs"}); JSON has no types, so numbers take the model's input types, and
 * {@code {"b64": "..."}} values are encoded images.
 */
final class PredictJson {

    private static final String B64 = "b64";

    private PredictJson() {
    }

    /** A parsed request, and whether it came in rows (so its reply goes back in rows). */
    record Request(InferenceRequest inference, boolean rows) {
    }

    static Request toInference(ModelRef ref, JsonBodies bodies, byte[] body, List<PortInfo> modelInputs) {
        JsonNode json = bodies.parse(body, body.length, "TensorFlow Serving's predict request");
        JsonNode instances = json.get("instances");
        JsonNode columns = json.get("inputs");
        if ((instances == null) == (columns == null)) {
            throw new ServingException(StatusCode.INVALID_REQUEST, "the request needs exactly one of \"instances\""
                    + " (row format) or \"inputs\" (columnar format)");
        }
        Map<String, JsonNode> named = instances != null ? rows(instances, modelInputs) : columns(columns, modelInputs);
        Map<String, InputTensor> inputs = new LinkedHashMap<>();
        named.forEach((name, value) -> inputs.put(name, tensor(name, value, portOf(name, modelInputs))));
        return new Request(new InferenceRequest(ref, inputs, Set.of()), instances != null);
    }

    /** {@code "inputs": {"name": value, ...}}, or the value alone for a model of one input. */
    private static Map<String, JsonNode> columns(JsonNode columns, List<PortInfo> modelInputs) {
        Map<String, JsonNode> named = new LinkedHashMap<>();
        if (columns.isObject() && !columns.has(B64)) {
            columns.fields().forEachRemaining(field -> named.put(field.getKey(), field.getValue()));
        } else {
            named.put(onlyInput(modelInputs), columns);
        }
        return named;
    }

    /** {@code "instances": [{"name": value, ...}, ...]}, or [value, ...] for a model of one input: stacked per input. */
    private static Map<String, JsonNode> rows(JsonNode instances, List<PortInfo> modelInputs) {
        if (!instances.isArray() || instances.isEmpty()) {
            throw new ServingException(StatusCode.INVALID_REQUEST, "\"instances\" is a non-empty list, one entry per"
                    + " batch element");
        }
        Map<String, JsonNode> named = new LinkedHashMap<>();
        boolean byName = instances.get(0).isObject() && !instances.get(0).has(B64);
        String only = byName ? null : onlyInput(modelInputs);
        for (JsonNode instance : instances) {
            if (byName != (instance.isObject() && !instance.has(B64))) {
                throw new ServingException(StatusCode.INVALID_REQUEST, "\"instances\" mixes objects of named inputs"
                        + " with bare values");
            }
            Iterator<Map.Entry<String, JsonNode>> fields = byName ? instance.fields()
                    : Map.of(only, instance).entrySet().iterator();
            fields.forEachRemaining(field -> {
                JsonNode stacked = named.computeIfAbsent(field.getKey(), ignored -> JsonBodies.JSON.createArrayNode());
                ((ArrayNode) stacked).add(field.getValue());
            });
        }
        named.forEach((name, stacked) -> {
            if (stacked.size() != instances.size()) {
                throw new ServingException(StatusCode.INVALID_REQUEST, "input " + name + " is in " + stacked.size()
                        + " of the " + instances.size() + " instances: every instance names the same inputs");
            }
        });
        return named;
    }

    private static String onlyInput(List<PortInfo> modelInputs) {
        if (modelInputs.size() != 1) {
            throw new ServingException(StatusCode.INVALID_REQUEST, "the model has " + modelInputs.size()
                    + " inputs: name each one (its inputs are " + modelInputs.stream().map(PortInfo::name).toList()
                    + ")");
        }
        return modelInputs.get(0).name();
    }

    private static PortInfo portOf(String name, List<PortInfo> modelInputs) {
        return modelInputs.stream().filter(port -> port.name().equals(name)).findFirst()
                .orElseThrow(() -> new ServingException(StatusCode.UNEXPECTED_INPUT, "the model has no input " + name
                        + "; its inputs are " + modelInputs.stream().map(PortInfo::name).toList()));
    }

    /** Encoded images when every value is {@code {"b64": ...}}; else numbers of the input's type. */
    private static InputTensor tensor(String name, JsonNode value, PortInfo port) {
        List<Long> shape = new ArrayList<>();
        List<JsonNode> values = new ArrayList<>();
        flatten(name, value, 0, shape, values);
        if (!values.isEmpty() && values.stream().allMatch(PredictJson::isBase64)) {
            List<ByteBuffer> images = new ArrayList<>();
            for (JsonNode image : values) {
                try {
                    images.add(ByteBuffer.wrap(Base64.getDecoder().decode(image.get(B64).textValue())));
                } catch (IllegalArgumentException e) {
                    throw new ServingException(StatusCode.INVALID_REQUEST, "input " + name + ": \"b64\" is not base64: "
                            + e.getMessage());
                }
            }
            return new InputTensor.EncodedImages(images);
        }
        ElementType type = port.type();
        long[] dims = shape.stream().mapToLong(Long::longValue).toArray();
        ByteBuffer data = TypedValues.pack(name, type, dims, "the JSON values", values.size(),
                (buffer, i) -> JsonValues.put(buffer, type, name, i, values.get(i)));
        return new InputTensor.Raw(type, dims, data.order(ByteOrder.LITTLE_ENDIAN));
    }

    private static boolean isBase64(JsonNode value) {
        return value.isObject() && value.size() == 1 && value.path(B64).isTextual();
    }

    /** Reads nested lists in row-major order, and their shape, which must be the same at every depth. */
    private static void flatten(String name, JsonNode node, int depth, List<Long> shape, List<JsonNode> values) {
        boolean list = node.isArray();
        if (depth == shape.size() && values.isEmpty()) { // the first path down fixes the shape
            if (list) {
                shape.add((long) node.size());
            }
        } else if (list != depth < shape.size() || list && node.size() != shape.get(depth)) {
            throw new ServingException(StatusCode.INVALID_SHAPE, "input " + name + ": the nested lists are not"
                    + " rectangular (every list at one depth has the same length)");
        }
        if (list) {
            for (JsonNode element : node) {
                flatten(name, element, depth + 1, shape, values);
            }
        } else {
            values.add(node);
        }
    }

    /**
     * The entries of the outputs' first dimension, which the row format answers one prediction each:
     * the same for every output, as TensorFlow Serving requires, else the request is refused (no row is dropped).
     */
    private static long batchOf(Map<String, OutputTensor> outputs) {
        long batch = -1;
        for (Map.Entry<String, OutputTensor> output : outputs.entrySet()) {
            long[] shape = output.getValue().shape();
            if (shape.length == 0 || batch >= 0 && shape[0] != batch) {
                throw new ServingException(StatusCode.INVALID_REQUEST, "the outputs " + outputs.keySet() + " do not"
                        + " share a first (batch) dimension to answer in rows: send \"inputs\" (columnar format)");
            }
            batch = shape[0];
        }
        return Math.max(batch, 0);
    }

    static byte[] fromInference(InferenceResponse response, boolean rows) {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        Map<String, OutputTensor> outputs = response.outputs();
        boolean single = outputs.size() == 1;
        try (JsonGenerator json = JsonBodies.JSON.getFactory().createGenerator(body)) {
            json.writeStartObject();
            if (rows) {
                json.writeArrayFieldStart("predictions");
                long batch = batchOf(outputs);
                for (int entry = 0; entry < batch; entry++) {
                    if (!single) {
                        json.writeStartObject();
                    }
                    for (Map.Entry<String, OutputTensor> output : outputs.entrySet()) {
                        if (!single) {
                            json.writeFieldName(output.getKey());
                        }
                        JsonValues.writeEach(json, output.getValue(), entry);
                    }
                    if (!single) {
                        json.writeEndObject();
                    }
                }
                json.writeEndArray();
            } else {
                json.writeFieldName("outputs");
                if (!single) {
                    json.writeStartObject();
                }
                for (Map.Entry<String, OutputTensor> output : outputs.entrySet()) {
                    if (!single) {
                        json.writeFieldName(output.getKey());
                    }
                    JsonValues.writeNested(json, output.getValue());
                }
                if (!single) {
                    json.writeEndObject();
                }
            }
            json.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return body.toByteArray();
    }
}
