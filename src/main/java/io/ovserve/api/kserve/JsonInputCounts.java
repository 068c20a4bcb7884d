package io.ovserve.api.kserve;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.ovserve.api.rest.JsonValues;
import io.ovserve.api.rest.NestedValues;
import io.ovserve.inference.CountedInput;
import io.ovserve.inference.InputTensor;
import io.ovserve.inference.RequestBounds;
import io.ovserve.inference.ServingException;
import io.ovserve.inference.Shapes;
import io.ovserve.inference.StatusCode;
import io.ovserve.inference.TypedValues;
import io.ovserve.openvino.ElementType;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * One entry of a KServe JSON request's {@code "inputs"}, read as the parser streams it, building
 * nothing per value: name, datatype, shape (at most {@link RequestBounds#MAX_RANK} dimensions), where
 * its {@code data} and {@code binary_data_size} start in the body and how many values or sizes they hold.
 */
final class JsonInputCounts {

    /** An input object's keys. */
    private static final String NAME = "name";
    private static final String DATATYPE = "datatype";
    private static final String SHAPE = "shape";
    private static final String PARAMETERS = "parameters";
    private static final String DATA = "data";
    private static final String BINARY_DATA_SIZE = "binary_data_size";

    private String name;
    private String datatype;
    private boolean shapeIsList;
    private String badDimension; // the first entry of the shape that is no integer
    private final long[] dims = new long[RequestBounds.MAX_RANK];
    private long rank;
    private final NestedValues data = NestedValues.flat();
    private long dataOffset = -1;
    private long sizesOffset = -1;
    private boolean sizesListed;
    private long sizes; // entries of the binary_data_size list
    private String badSize; // the first binary_data_size that is no number of bytes
    private long binaryBytes;
    private long binaryStart;

    /** Reads the input object at the parser's current token, leaving the parser at its end. */
    static JsonInputCounts read(JsonParser parser) throws IOException {
        if (parser.currentToken() != JsonToken.START_OBJECT) {
            throw notAnObject(parser);
        }
        JsonInputCounts input = new JsonInputCounts();
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
            String key = parser.currentName();
            JsonToken value = parser.nextToken();
            switch (key) {
                case NAME -> input.name = value == JsonToken.VALUE_STRING ? parser.getText() : null;
                case DATATYPE -> input.datatype = value == JsonToken.VALUE_STRING ? parser.getText() : null;
                case SHAPE -> input.readShape(parser);
                case PARAMETERS -> input.readParameters(parser);
                case DATA -> {
                    input.dataOffset = parser.currentTokenLocation().getByteOffset();
                    input.data.count(parser);
                }
                default -> parser.skipChildren();
            }
        }
        return input;
    }

    static ServingException notAnObject(JsonParser parser) throws IOException {
        return new ServingException(StatusCode.INVALID_REQUEST, "each entry of \"inputs\" is an object, got "
                + JsonValues.shown(parser));
    }

    private void readShape(JsonParser parser) throws IOException {
        shapeIsList = parser.currentToken() == JsonToken.START_ARRAY;
        if (!shapeIsList) {
            parser.skipChildren();
            return;
        }
        for (JsonToken token = parser.nextToken(); token != JsonToken.END_ARRAY; token = parser.nextToken()) {
            if (!JsonValues.isLong(parser)) {
                badDimension = badDimension == null ? JsonValues.shown(parser) : badDimension;
                parser.skipChildren();
            } else if (rank < dims.length) {
                dims[(int) rank] = parser.getLongValue();
            }
            rank++;
        }
    }

    private void readParameters(JsonParser parser) throws IOException {
        if (parser.currentToken() != JsonToken.START_OBJECT) {
            parser.skipChildren();
            return;
        }
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
            boolean sizeKey = BINARY_DATA_SIZE.equals(parser.currentName());
            JsonToken value = parser.nextToken();
            if (sizeKey && value != JsonToken.VALUE_NULL) {
                readSizes(parser);
            } else {
                parser.skipChildren();
            }
        }
    }

    /** binary_data_size: a number of bytes, or a list of them (images), summed up to the first beyond a body. */
    private void readSizes(JsonParser parser) throws IOException {
        sizesOffset = parser.currentTokenLocation().getByteOffset();
        sizesListed = parser.currentToken() == JsonToken.START_ARRAY;
        JsonToken token = sizesListed ? parser.nextToken() : parser.currentToken();
        for (; token != JsonToken.END_ARRAY; token = sizesListed ? parser.nextToken() : JsonToken.END_ARRAY) {
            if (!JsonValues.isLong(parser) || parser.getLongValue() < 0) {
                badSize = badSize == null ? JsonValues.shown(parser) : badSize;
                parser.skipChildren();
            } else {
                // a part beyond a body's size fails below, summed or not
                binaryBytes += Math.min(parser.getLongValue(), Integer.MAX_VALUE);
            }
            sizes++;
        }
    }

    /**
     * The checks of translating the input, in the order it makes them, on its counts; takes its binary
     * data from {@code binary} (the body's bytes after the JSON, from its position).
     */
    CountedInput check(ByteBuffer binary) {
        name = text(name, NAME, "an input");
        if (!shapeIsList) {
            throw new ServingException(StatusCode.INVALID_SHAPE, "input " + name + " needs \"shape\", an array");
        }
        if (badDimension != null) {
            throw new ServingException(StatusCode.INVALID_SHAPE, "input " + name + ": shape is not a list of"
                    + " integers (" + badDimension + ")");
        }
        RequestBounds.checkRank(name, rank);
        long[] shape = Shapes.nonNegative(name, shape());
        datatype = text(datatype, DATATYPE, "input " + name);
        takeBinary(binary);
        if (KServeDataTypes.BYTES.equals(datatype)) {
            long images = sizesListed ? sizes : binary() ? lengthPrefixedImages(binary) : dataValues();
            InputTensor.EncodedImages.checkCount(name, shape, binary() ? "binary data" : "data", images);
            return new CountedInput.Images(images);
        }
        ElementType type = KServeDataTypes.toOpenVino(name, datatype);
        if (binary()) {
            return new CountedInput.Values(type, shape, binaryBytes);
        }
        TypedValues.checkCount(name, shape, DATA, dataValues());
        return CountedInput.typed(type, shape, dataValues());
    }

    private void takeBinary(ByteBuffer binary) {
        if (badSize != null) {
            throw new ServingException(StatusCode.INVALID_CONTENT_SIZE, "input " + name
                    + ": binary_data_size is a number of bytes, or a list of them, got " + badSize);
        }
        if (binaryBytes > binary.remaining()) {
            throw new ServingException(StatusCode.INVALID_CONTENT_SIZE, "input " + name + ": binary_data_size "
                    + (sizesListed ? "(" + sizes + " sizes, " + binaryBytes + " bytes)" : binaryBytes)
                    + " is more than the " + binary.remaining() + " bytes left after the JSON");
        }
        binaryStart = binary.position();
        binary.position(binary.position() + (int) binaryBytes);
    }

    /** Length-prefixed elements when the bytes split exactly so; else one image's own bytes. */
    private long lengthPrefixedImages(ByteBuffer binary) {
        long elements = binaryBytes == 0 ? -1 : InferInputReader.lengthPrefixedCount(binaryData(binary));
        return elements < 0 ? 1 : elements;
    }

    private long dataValues() {
        if (dataOffset < 0) {
            throw new ServingException(StatusCode.INVALID_REQUEST, "input " + name
                    + " has neither \"data\" nor a binary_data_size parameter");
        }
        return data.values();
    }

    private static String text(String value, String key, String what) {
        if (value == null) {
            throw new ServingException(StatusCode.INVALID_REQUEST, what + " needs \"" + key + "\", a string");
        }
        return value;
    }

    String name() {
        return name;
    }

    String datatype() {
        return datatype;
    }

    long[] shape() {
        return Arrays.copyOf(dims, (int) rank);
    }

    /** Whether its values are in the binary part (a binary_data_size). */
    boolean binary() {
        return sizesOffset >= 0;
    }

    /** Its bytes in the binary part of {@code binary} (the buffer {@link #check} took them from). */
    ByteBuffer binaryData(ByteBuffer binary) {
        return binary.slice((int) binaryStart, (int) binaryBytes);
    }

    boolean sizesListed() {
        return sizesListed;
    }

    long sizesOffset() {
        return sizesOffset;
    }

    long dataOffset() {
        return dataOffset;
    }
}
