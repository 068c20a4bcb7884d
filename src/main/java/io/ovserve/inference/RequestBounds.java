package io.ovserve.inference;

import io.ovserve.openvino.PortInfo;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Checks a request, counted on the wire, against the model it names before any of its values is
 * built, so that a request the server refuses costs it no more than its own bytes: an input of
 * encoded images holds at most the images its batch dimension takes, typed values exactly the
 * elements of a shape the model accepts, of the model's type, and all of them fit the model's
 * byte budget (queue-bytes). The rules and messages are {@link InputValidator}'s.
 */
public final class RequestBounds {

    /** Names a request may list beyond its inputs (output filters, parameters): none needs more. */
    public static final int MAX_LISTED = 1024;

    /** Dimensions a shape may have: more than any model's, and few enough to collect before the model is known. */
    public static final int MAX_RANK = 64;

    private RequestBounds() {
    }

    /**
     * @param inputs the request's inputs, counted
     * @param ports  the model's inputs
     * @param imageInput the input binary images feed, if the model has one
     * @param budget the bytes the model's admitted requests may hold together (queue-bytes)
     */
    public static void check(String model, Map<String, CountedInput> inputs, List<PortInfo> ports,
            Optional<String> imageInput, long budget) {
        if (inputs.size() == 1 && inputs.values().iterator().next() instanceof CountedInput.Images images) {
            String name = inputs.keySet().iterator().next();
            PortInfo port = imageInput.filter(name::equals)
                    .flatMap(image -> ports.stream().filter(candidate -> candidate.name().equals(image)).findFirst())
                    .orElseThrow(() -> InputValidator.notAnImageInput(model, name, ports));
            InputValidator.validateBatch(port, images.count());
            long decoded = saturatedProduct(images.count(), smallestDecodedImage(port));
            if (decoded > budget) {
                throw tooLarge(model, images.count() + " images take at least " + decoded + " bytes once decoded",
                        budget);
            }
            return;
        }
        InputValidator.validateCounted(model, inputs, ports);
        long bytes = inputs.values().stream().mapToLong(input -> ((CountedInput.Values) input).bytes()).sum();
        if (bytes > budget) {
            throw tooLarge(model, "its inputs take " + bytes + " bytes", budget);
        }
    }

    /** A request that lists more names than {@link #MAX_LISTED} in one of its fields. */
    public static void checkListed(String field, long count) {
        if (count > MAX_LISTED) {
            throw new ServingException(StatusCode.INVALID_REQUEST, "the request has " + count + " entries in "
                    + field + "; at most " + MAX_LISTED + " are accepted");
        }
    }

    /** INVALID_SHAPE for a shape of more than {@link #MAX_RANK} dimensions. */
    public static void checkRank(String input, long rank) {
        if (rank > MAX_RANK) {
            throw new ServingException(StatusCode.INVALID_SHAPE, "input " + input + " has a shape of " + rank
                    + " dimensions; at most " + MAX_RANK + " are accepted");
        }
    }

    /** Bytes of one image decoded at the smallest size the input takes: 1 byte per element of a batch entry. */
    private static long smallestDecodedImage(PortInfo port) {
        long[] lower = port.lower();
        long bytes = 1;
        for (int i = 1; i < lower.length; i++) {
            bytes = saturatedProduct(bytes, Math.max(1, lower[i]));
        }
        return bytes;
    }

    private static long saturatedProduct(long a, long b) {
        return Math.multiplyHigh(a, b) == 0 && a * b >= 0 ? a * b : Long.MAX_VALUE;
    }

    private static ServingException tooLarge(String model, String what, long budget) {
        return new ServingException(StatusCode.QUEUE_BYTES_FULL, "model " + model + ": the request never fits: "
                + what + ", more than the " + budget + " bytes (queue-bytes) all its admitted requests may hold");
    }
}
