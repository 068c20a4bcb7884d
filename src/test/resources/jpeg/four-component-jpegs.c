/*
 * Writes the 4-component JPEGs JpegDecoderTest decodes: the same pseudo-random 61x45 CMYK noise stored
 * as CMYK (cmyk.jpg, 4:4:4) and as YCCK (ycck.jpg, libjpeg's default 2x2 sampling of Y and K), each with
 * the Adobe marker libjpeg writes for them. Built and run from this directory:
 *
 *   gcc -O2 -o /tmp/four-component-jpegs four-component-jpegs.c -ljpeg && /tmp/four-component-jpegs
 *
 * opencv-digests.py then prints what OpenCV decodes them to.
 */
#include <stdio.h>
#include <stdlib.h>
#include <jpeglib.h>

#define WIDTH 61
#define HEIGHT 45

static void write_jpeg(const char *path, J_COLOR_SPACE space, const unsigned char *pixels) {
    FILE *file = fopen(path, "wb");
    if (file == NULL) {
        perror(path);
        exit(1);
    }
    struct jpeg_compress_struct info;
    struct jpeg_error_mgr errors;
    info.err = jpeg_std_error(&errors);
    jpeg_create_compress(&info);
    jpeg_stdio_dest(&info, file);
    info.image_width = WIDTH;
    info.image_height = HEIGHT;
    info.input_components = 4;
    info.in_color_space = JCS_CMYK;
    jpeg_set_defaults(&info);
    jpeg_set_colorspace(&info, space);
    jpeg_set_quality(&info, 90, TRUE);
    jpeg_start_compress(&info, TRUE);
    while (info.next_scanline < info.image_height) {
        JSAMPROW row = (JSAMPROW) pixels + (size_t) info.next_scanline * WIDTH * 4;
        jpeg_write_scanlines(&info, &row, 1);
    }
    jpeg_finish_compress(&info);
    jpeg_destroy_compress(&info);
    fclose(file);
}

int main(void) {
    static unsigned char pixels[WIDTH * HEIGHT * 4];
    unsigned int state = 42;
    for (size_t i = 0; i < sizeof pixels; i++) {
        state = state * 1103515245u + 12345u; /* an LCG: the same bytes on every machine */
        pixels[i] = (unsigned char) (state >> 16);
    }
    write_jpeg("cmyk.jpg", JCS_CMYK, pixels);
    write_jpeg("ycck.jpg", JCS_YCCK, pixels);
    return 0;
}
