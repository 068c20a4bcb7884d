package io.ovserve.api.tfs;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import io.ovserve.api.rest.JsonBodies;
import io.ovserve.api.rest.JsonValues;
import io.ovserve.api.rest.NestedValues;
import io.ovserve.inference.CountedInput;
import io.ovserve.inference.InferenceRequest;
import io.ovserve.inference.InferenceResponse;
import io.ovserve.inference.InputTensor;
import io.ovserve.inference.ModelRef;
import io.ovserve.inference.OutputTensor;
import io.ovserve.inference.RequestBounds;
import io.ovserve.inference.ServingException;
import io.ovserve.inference.StatusCode;
import io.ovserve.inference.TypedValues;
import io.ovserve.model.ModelInstance;
import io.ovserve.openvino.ElementType;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Base64;
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

    private PredictJson() {
    }

    /** A parsed request, and whether it came in rows (so its reply goes back in rows). */
    record Request(InferenceRequest inference, boolean rows) {
    }

    /**
     * The request a body holds, read twice: its values counted per input first, and checked against
     * {@code instance}'s inputs before any is built, so that a refused request costs no more than its
     * bytes; then written straight into their tensors.
     */
    static Request toInference(ModelRef ref, JsonBodies bodies, byte[] body, ModelInstance instance) {
        PredictLayout layout = PredictLayout.of(bodies, body, instance.inputs());
        boolean rows = layout.rows();
        Map<String, NestedValues> counts = new LinkedHashMap<>();
        long instances = JsonBodies.read(() -> layout.walk(new PredictLayout.Visitor() {
            @Override
            public void value(String input, JsonParser value) throws IOException {
                counts(counts, input, rows).count(value);
            }

            @Override
            public void image(String input, JsonParser value) throws IOException {
                counts(counts, input, rows).countImage(value);
            }
        }));
        Map<String, CountedInput> counted = new LinkedHashMap<>();
        counts.forEach((name, values) -> counted.put(name, counted(name, values, rows, instances, instance)));
        RequestBounds.check(instance.name(), counted, instance.inputs(), instance.imageInput(), instance.queueBytes());
        Map<String, Filling> fillings = new LinkedHashMap<>();
        counted.forEach((name, input) -> fillings.put(name, new Filling(name, input)));
        JsonBodies.read(() -> layout.walk(new PredictLayout.Visitor() {
            @Override
            public void value(String input, JsonParser value) throws IOException {
                NestedValues.forEach(value, fillings.get(input)::add);
            }

            @Override
            public void image(String input, JsonParser value) throws IOException {
                fillings.get(input).add(value);
            }
        }));
        Map<String, InputTensor> inputs = new LinkedHashMap<>();
        fillings.forEach((name, filling) -> inputs.put(name, filling.tensor()));
        return new Request(new InferenceRequest(ref, inputs, Set.of()), rows);
    }

    /** The counts of an input's values; in rows, stacked one entry per instance. */
    private static NestedValues counts(Map<String, NestedValues> counts, String input, boolean rows) {
        NestedValues values = counts.get(input); // no computeIfAbsent: its lambda would cost an object per value
        if (values == null) {
            values = NestedValues.shaped(input);
            if (rows) {
                values.stack();
            }
            counts.put(input, values);
        }
        return values;
    }

    /** Encoded images when every value is {@code {"b64": ...}}; else numbers of the input's type. */
    private static CountedInput counted(String name, NestedValues values, boolean rows, long instances,
            ModelInstance instance) {
        if (rows) {
            long entries = values.unstack();
            if (entries != instances) {
                throw new ServingException(StatusCode.INVALID_REQUEST, "input " + name + " is in " + entries
                        + " of the " + instances + " instances: every instance names the same inputs");
            }
        }
        if (values.allImages()) {
            InputTensor.EncodedImages.checkCount(name, values.shape(), "the JSON values", values.images());
            return new CountedInput.Images(values.images());
        }
        ElementType type = PredictLayout.portOf(name, instance.inputs()).type();
        long[] shape = values.shape();
        TypedValues.checkCount(name, shape, "the JSON values", values.values());
        return CountedInput.typed(type, shape, values.values());
    }

    /** One input's values, written as they are read again once counted and checked. */
    private static final class Filling {

        private final String name;
        private final CountedInput counted;
        private final ByteBuffer data;
        private final List<ByteBuffer> images = new ArrayList<>();
        private long index;

        Filling(String name, CountedInput counted) {
            this.name = name;
            this.counted = counted;
            this.data = counted instanceof CountedInput.Values values
                    ? ByteBuffer.allocate((int) values.bytes()).order(ByteOrder.LITTLE_ENDIAN) : null;
        }

        /** Adds the value at the parser (an image at its start or its "b64" key). */
        void add(JsonParser value) throws IOException {
            if (data != null) {
                JsonValues.put(data, ((CountedInput.Values) counted).type(), name, index++, value);
                return;
            }
            try {
                images.add(ByteBuffer.wrap(Base64.getDecoder().decode(NestedValues.imageText(value))));
            } catch (IllegalArgumentException e) {
                throw new ServingException(StatusCode.INVALID_REQUEST, "input " + name + ": \"b64\" is not base64: "
                        + e.getMessage());
            }
        }

        InputTensor tensor() {
            if (data == null) {
                return new InputTensor.EncodedImages(images);
            }
            CountedInput.Values values = (CountedInput.Values) counted;
            return new InputTensor.Raw(values.type(), values.shape(), data.flip());
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
