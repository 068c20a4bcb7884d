/*
 * paced-decoding FILE WIDTH HEIGHT RATE SECONDS: decodes the JPEG FILE to WIDTH x HEIGHT with ovserve's
 * own decoding and resize (src/main/native/ovserve_jpeg.h; the server's default scan limit, no deadline)
 * RATE times a second for SECONDS, one sleep per image (waking more often would itself take the CPU
 * from what runs beside it), and prints how many it decoded. decoding-control.sh runs it beside
 * benchmark_app.
 */
#include "ovserve_jpeg.h"
#include <time.h>

static double now(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec + t.tv_nsec * 1e-9;
}

int main(int argc, char **argv) {
    if (argc != 6) {
        fprintf(stderr, "usage: paced-decoding FILE WIDTH HEIGHT RATE SECONDS\n");
        return 2;
    }
    FILE *file = fopen(argv[1], "rb");
    if (file == NULL || fseek(file, 0, SEEK_END) != 0) {
        perror(argv[1]);
        return 1;
    }
    const long size = ftell(file);
    unsigned char *jpeg = (unsigned char *) malloc((size_t) size);
    rewind(file);
    if (jpeg == NULL || fread(jpeg, 1, (size_t) size, file) != (size_t) size) {
        perror(argv[1]);
        return 1;
    }
    fclose(file);
    const int width = atoi(argv[2]), height = atoi(argv[3]);
    const double rate = atof(argv[4]), seconds = atof(argv[5]);
    unsigned char *bgr = (unsigned char *) malloc((size_t) width * height * 3);
    char message[256];
    const double start = now();
    long decoded = 0;
    while (now() - start < seconds) {
        const double wait = start + decoded / rate - now();
        if (wait > 0) {
            struct timespec pause = {(time_t) wait, (long) ((wait - (time_t) wait) * 1e9)};
            nanosleep(&pause, NULL);
        }
        if (ovserve_jpeg_decode_bgr(jpeg, (size_t) size, bgr, width, height, 100, LLONG_MAX, message,
                                    sizeof message) != 0) {
            fprintf(stderr, "%s: %s\n", argv[1], message);
            return 1;
        }
        decoded++;
    }
    printf("decoded %ld images in %.1f s (%.2f/s)\n", decoded, now() - start, decoded / (now() - start));
    return 0;
}
