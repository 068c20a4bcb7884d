package io.ovserve.api.kserve;

import com.google.protobuf.CodedInputStream;
import java.io.IOException;

/**
 * One entry of raw_input_contents, read without building it: its size and, taken as BYTES elements
 * (each a 4-byte little-endian length, then that many bytes), how many elements it holds, up to
 * the first one cut short if one is.
 */
record RawCounts(long bytes, long elements, boolean cutShort) {

    /** Reads the entry at the stream's position, whose length prefix was just read. */
    static RawCounts read(CodedInputStream in, int length) throws IOException {
        int limit = in.pushLimit(length);
        long elements = 0;
        boolean cutShort = false;
        while (!in.isAtEnd()) {
            int left = in.getBytesUntilLimit();
            long size = left >= Integer.BYTES ? Integer.toUnsignedLong(in.readRawLittleEndian32()) : -1;
            if (size < 0 || size > left - Integer.BYTES) {
                cutShort = true;
                in.skipRawBytes(in.getBytesUntilLimit());
                break;
            }
            in.skipRawBytes((int) size);
            elements++;
        }
        in.popLimit(limit);
        return new RawCounts(length, elements, cutShort);
    }
}
