package io.ovserve.support;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.zip.Deflater;
import java.util.zip.DeflaterOutputStream;
import java.util.zip.GZIPOutputStream;

/** Bodies and messages compressed as clients send them: gzip, HTTP's deflate (zlib's format), raw deflate. */
public enum Compressed {
    GZIP, ZLIB, RAW_DEFLATE;

    /** {@code bytes} compressed. */
    public byte[] of(byte[] bytes) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (OutputStream compressing = open(out)) {
            compressing.write(bytes);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    /** {@code count} zero bytes compressed, never held whole: a compression bomb. */
    public byte[] zeros(long count) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] chunk = new byte[1 << 20];
        try (OutputStream compressing = open(out)) {
            for (long left = count; left > 0; left -= chunk.length) {
                compressing.write(chunk, 0, (int) Math.min(left, chunk.length));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    private OutputStream open(OutputStream out) throws IOException {
        return switch (this) {
            case GZIP -> new GZIPOutputStream(out);
            case ZLIB -> new DeflaterOutputStream(out);
            case RAW_DEFLATE -> new DeflaterOutputStream(out, new Deflater(Deflater.DEFAULT_COMPRESSION, true)) {
                @Override
                public void close() throws IOException {
                    super.close();
                    def.end(); // a stream given its deflater leaves it open
                }
            };
        };
    }
}
