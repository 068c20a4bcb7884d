package io.ovserve.api.rest;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.ovserve.inference.RequestBounds;
import io.ovserve.inference.ServingException;
import io.ovserve.inference.StatusCode;
import java.io.IOException;
import java.util.Arrays;

/**
 * One input's values as REST JSON carries them: a value, or lists of them nested in row-major order,
 * read from the body's bytes twice. First counted ({@link #count}), allocating nothing per value: how
 * many values, how many of them are images ({@code {"b64": "..."}}) and, when the lists give the
 * tensor's shape (TensorFlow Serving), that shape, refusing lists that are not rectangular. Then, once
 * the counts passed the model's checks, walked value by value ({@link #forEach}) to fill the tensor.
 */
public final class NestedValues {

    /** The key of an image value, {@code {"b64": "<base64>"}} (TensorFlow Serving). */
    public static final String B64 = "b64";

    private final String input;
    private final long[] dims; // null unless shaped; -1 for a dimension no list has closed at yet
    private final long[] sizes; // elements of each open list, outermost first
    private int rank; // dimensions met so far, final once fixed
    private boolean fixed;
    private int depth;
    private long values;
    private long images;

    private NestedValues(String input, boolean shaped) {
        this.input = input;
        this.dims = shaped ? new long[RequestBounds.MAX_RANK] : null;
        this.sizes = shaped ? new long[RequestBounds.MAX_RANK + 1] : null;
    }

    /** Values whose nesting is the tensor's shape: every list at one depth has the same length. */
    public static NestedValues shaped(String input) {
        return new NestedValues(input, true);
    }

    /** Values read flat, in row-major order, whatever their nesting (KServe's {@code data}: its shape is given). */
    public static NestedValues flat() {
        return new NestedValues("", false);
    }

    /**
     * Counts the value at the parser's current token (a list, nested or not, or one value), leaving the
     * parser at its last token; with {@link #stack} before, as one more entry of the outer list.
     */
    public void count(JsonParser parser) throws IOException {
        int start = depth;
        do {
            JsonToken token = parser.currentToken();
            if (token == JsonToken.START_ARRAY) {
                open();
            } else if (token == JsonToken.END_ARRAY) {
                close();
            } else {
                value(token == JsonToken.START_OBJECT && isImageAfterKey(parser, parser.nextToken()));
            }
        } while (depth > start && parser.nextToken() != null);
    }

    /** Counts an object whose first key, {@code "b64"}, the parser is at: an image value if it is one. */
    public void countImage(JsonParser parser) throws IOException {
        value(isImageAfterKey(parser, parser.currentToken()));
    }

    /** Opens an outer list that each {@link #count} adds one entry to (TensorFlow Serving's rows). */
    public void stack() {
        open();
    }

    /** Closes the list {@link #stack} opened; returns its entries. */
    public long unstack() {
        long entries = sizes[depth];
        close();
        return entries;
    }

    private void open() {
        if (dims != null) {
            if (fixed && depth >= rank) {
                throw notRectangular();
            }
            if (!fixed) {
                RequestBounds.checkRank(input, rank + 1L);
                dims[rank++] = -1;
            }
            sizes[depth]++;
            sizes[depth + 1] = 0;
        }
        depth++;
    }

    private void close() {
        depth--;
        if (dims != null) {
            long size = sizes[depth + 1];
            if (dims[depth] >= 0 && dims[depth] != size) {
                throw notRectangular();
            }
            dims[depth] = size;
            fixed = true; // the innermost list closed first: no deeper one follows
        }
    }

    private void value(boolean image) {
        if (dims != null) {
            if (fixed && depth != rank) {
                throw notRectangular();
            }
            fixed = true;
            sizes[depth]++;
        }
        values++;
        images += image ? 1 : 0;
    }

    /** Whether an object, at its first key (or end), is {@code {"b64": "..."}}; leaves the parser at its end. */
    private static boolean isImageAfterKey(JsonParser parser, JsonToken key) throws IOException {
        boolean image = key == JsonToken.FIELD_NAME && B64.equals(parser.currentName())
                && parser.nextToken() == JsonToken.VALUE_STRING && parser.nextToken() == JsonToken.END_OBJECT;
        for (JsonToken token = parser.currentToken(); token != JsonToken.END_OBJECT; token = parser.nextToken()) {
            parser.skipChildren(); // what else the object holds: a no-op on keys and scalars
        }
        return image;
    }

    private ServingException notRectangular() {
        return new ServingException(StatusCode.INVALID_SHAPE, "input " + input + ": the nested lists are not"
                + " rectangular (every list at one depth has the same length)");
    }

    /** Values counted. */
    public long values() {
        return values;
    }

    /** Values that are {@code {"b64": "..."}}. */
    public long images() {
        return images;
    }

    /** Every value is an image, and there is one. */
    public boolean allImages() {
        return values > 0 && images == values;
    }

    /** The lengths of the nested lists, outermost first ({@link #shaped} only). */
    public long[] shape() {
        return Arrays.copyOf(dims, rank);
    }

    /** Reads one value at the parser's current token, leaving the parser at its last token. */
    @FunctionalInterface
    public interface Reader {
        void read(JsonParser value) throws IOException;
    }

    /** Calls {@code reader} at each value of the lists (or the one value) at the parser's current token, in order. */
    public static void forEach(JsonParser parser, Reader reader) throws IOException {
        int depth = 0;
        do {
            JsonToken token = parser.currentToken();
            if (token == JsonToken.START_ARRAY) {
                depth++;
            } else if (token == JsonToken.END_ARRAY) {
                depth--;
            } else {
                reader.read(parser);
            }
        } while (depth > 0 && parser.nextToken() != null);
    }

    /**
     * The base64 text of an image value, the parser at its start or at its {@code "b64"} key, leaving the
     * parser at its end; one that {@link #count} found an image.
     */
    public static String imageText(JsonParser parser) throws IOException {
        if (parser.currentToken() == JsonToken.START_OBJECT) {
            parser.nextToken();
        }
        parser.nextToken();
        String text = parser.getText();
        parser.nextToken();
        return text;
    }
}
