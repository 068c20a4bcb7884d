package io.ovserve.inference;

import io.ovserve.openvino.PortInfo;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Checks inputs against a model's inputs before they reach OpenVINO: built ones, or ones counted
 * on the wire before they are built ({@link RequestBounds}), by the same rules.
 */
public final class InputValidator {

    private InputValidator() {
    }

    public static void validate(String model, Map<String, InputTensor> inputs, List<PortInfo> expected) {
        Map<String, CountedInput> counted = new LinkedHashMap<>();
        inputs.forEach((name, input) -> counted.put(name, CountedInput.of(input)));
        validateCounted(model, counted, expected);
    }

    /** The rules of {@link #validate} on inputs described by their counts. */
    public static void validateCounted(String model, Map<String, CountedInput> inputs, List<PortInfo> expected) {
        for (PortInfo port : expected) {
            if (!inputs.containsKey(port.name())) {
                String given = inputs.isEmpty() ? "no inputs"
                        : "inputs " + inputs.keySet().stream().map(InputValidator::shown).toList();
                throw new ServingException(StatusCode.MISSING_INPUT, "model " + model + " needs input " + port.name()
                        + " " + Arrays.toString(port.shape()) + "; the request has " + given);
            }
        }
        if (inputs.size() != expected.size()) {
            String unexpected = inputs.keySet().stream()
                    .filter(name -> expected.stream().noneMatch(port -> port.name().equals(name)))
                    .findFirst().orElse("?");
            throw noSuchInput(model, unexpected, expected);
        }
        for (PortInfo port : expected) {
            if (!(inputs.get(port.name()) instanceof CountedInput.Values values)) {
                throw new ServingException(StatusCode.INVALID_PRECISION, "input " + port.name() + " of model " + model
                        + " takes " + port.type() + " tensors, not encoded images");
            }
            validate(port, values);
        }
    }

    private static void validate(PortInfo port, CountedInput.Values values) {
        if (values.type() != port.type()) {
            throw new ServingException(StatusCode.INVALID_PRECISION,
                    "input " + port.name() + " expects " + port.type() + ", got " + values.type());
        }
        long expectedBytes = validateShape(port, values.shape());
        if (values.bytes() != expectedBytes) {
            throw new ServingException(StatusCode.INVALID_CONTENT_SIZE, "input " + port.name() + " of shape "
                    + Arrays.toString(values.shape()) + " needs " + expectedBytes + " bytes of " + port.type()
                    + ", got " + values.bytes());
        }
    }

    /** Checks a shape against the port's dimensions and bounds; returns the bytes it takes. */
    public static long validateShape(PortInfo port, long[] shape) {
        if (!port.accepts(shape)) {
            throw new ServingException(StatusCode.INVALID_SHAPE, "input " + port.name() + " expects shape "
                    + port.describeShape() + ", got " + Arrays.toString(shape));
        }
        if (Arrays.stream(shape).anyMatch(dim -> dim == 0)) {
            throw new ServingException(StatusCode.INVALID_SHAPE, "input " + port.name() + " of shape "
                    + Arrays.toString(shape) + " has no elements: every dimension must be at least 1");
        }
        return Shapes.bytes(port.name(), shape, port.type());
    }

    /** Checks a number of images against the batch dimension of the input they feed (a scalar input takes one). */
    public static void validateBatch(PortInfo port, long images) {
        boolean scalar = port.lower().length == 0;
        long low = scalar ? 1 : port.lower()[0];
        long high = scalar ? 1 : port.upper()[0];
        if (images < Math.max(low, 1) || (high >= 0 && images > high)) {
            throw new ServingException(StatusCode.INVALID_BATCH_SIZE, "input " + port.name() + " takes a batch of "
                    + (scalar ? "1" : port.describeDimension(0)) + " image(s), got " + images);
        }
    }

    /** UNEXPECTED_INPUT for an input the model does not have. */
    public static ServingException noSuchInput(String model, String input, List<PortInfo> expected) {
        return new ServingException(StatusCode.UNEXPECTED_INPUT, "model " + model + " has no input "
                + shown(input) + "; its inputs are " + expected.stream().map(PortInfo::name).toList());
    }

    /** Why binary images cannot feed {@code input}: not an image input, or no input of the model at all. */
    public static ServingException notAnImageInput(String model, String input, List<PortInfo> expected) {
        return expected.stream().filter(port -> port.name().equals(input)).findFirst()
                .map(port -> new ServingException(StatusCode.INVALID_PRECISION, "input " + input + " of model " + model
                        + " takes " + port.type() + " tensors; binary images need one NCHW/NHWC 3-channel"
                        + " input of a numeric type"))
                .orElseGet(() -> noSuchInput(model, input, expected));
    }

    /** UNEXPECTED_INPUT for a request that names one input twice. */
    public static ServingException duplicate(String input) {
        return new ServingException(StatusCode.UNEXPECTED_INPUT,
                "input " + shown(input) + " appears more than once in the request");
    }

    /** An input name as a message shows it: an empty one in quotes, so it is not mistaken for a missing word. */
    private static String shown(String name) {
        return name.isEmpty() ? "\"\"" : name;
    }
}
