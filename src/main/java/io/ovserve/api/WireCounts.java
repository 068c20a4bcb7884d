package io.ovserve.api;

import com.google.protobuf.CodedInputStream;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.WireFormat;
import java.io.IOException;

/** Counting a protobuf field's elements on the wire, allocating nothing per element. */
public final class WireCounts {

    private WireCounts() {
    }

    /** The tag of a field number and wire type, as {@link CodedInputStream#readTag()} returns it. */
    public static int tag(int field, int wireType) {
        return field << 3 | wireType;
    }

    /**
     * The elements of a repeated scalar field at the tag just read, skipping them: a packed run (one
     * length, then the values) or one unpacked value. A value of another wire type is an unknown
     * field to protobuf, which ovserve's parsing discards: it counts none.
     *
     * @param valueWireType the wire type of one value: VARINT, FIXED32 or FIXED64
     */
    public static long scalars(CodedInputStream in, int tag, int valueWireType) throws IOException {
        int wireType = WireFormat.getTagWireType(tag);
        if (wireType == valueWireType) {
            in.skipField(tag);
            return 1;
        }
        if (wireType != WireFormat.WIRETYPE_LENGTH_DELIMITED) {
            in.skipField(tag);
            return 0;
        }
        int length = length(in);
        return switch (valueWireType) {
            case WireFormat.WIRETYPE_FIXED32 -> skipped(in, length) / Integer.BYTES;
            case WireFormat.WIRETYPE_FIXED64 -> skipped(in, length) / Long.BYTES;
            default -> varints(in, length);
        };
    }

    /**
     * The length before a length-delimited field's bytes. Protobuf reads it as 32 bits, so a claim past 2 GiB
     * (a 1 TB {@code tensor_content} in a cut-off gzip stream) would wrap to a small or negative length and the
     * walk would go on misreading the bytes after it: such a claim is refused, naming it.
     */
    public static int length(CodedInputStream in) throws IOException {
        long length = in.readRawVarint64();
        if (length < 0 || length > Integer.MAX_VALUE) {
            throw new InvalidProtocolBufferException("a field claims " + Long.toUnsignedString(length)
                    + " bytes, more than a message can hold");
        }
        return (int) length;
    }

    /** One element of a repeated length-delimited field (bytes, string, message) at the tag just read. */
    public static long lengthDelimited(CodedInputStream in, int tag) throws IOException {
        in.skipField(tag);
        return WireFormat.getTagWireType(tag) == WireFormat.WIRETYPE_LENGTH_DELIMITED ? 1 : 0;
    }

    private static long skipped(CodedInputStream in, int length) throws IOException {
        in.skipRawBytes(length);
        return length;
    }

    /** Varints end at a byte whose high bit is clear: one per value. */
    private static long varints(CodedInputStream in, int length) throws IOException {
        int limit = in.pushLimit(length);
        long count = 0;
        while (!in.isAtEnd()) {
            count += in.readRawByte() >= 0 ? 1 : 0;
        }
        in.popLimit(limit);
        return count;
    }
}
