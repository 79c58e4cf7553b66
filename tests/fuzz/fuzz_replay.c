/*
 * fuzz_replay.c - runs each file named on the command line through
 * LLVMFuzzerTestOneInput once, so the fuzz corpus is an ordinary test
 * in every build (no clang or libFuzzer needed). Exit 2 on I/O errors.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Read all of `path` into a malloc'd buffer; NULL on any failure. */
static uint8_t *replay_read(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    uint8_t *buf = NULL;
    size_t cap = 0, n = 0, got = 0;
    do {
        n += got;
        if (n == cap) {
            uint8_t *nb = realloc(buf, cap = cap ? cap * 2 : 4096);
            if (!nb) {
                free(buf);
                fclose(f);
                return NULL;
            }
            buf = nb;
        }
    } while ((got = fread(buf + n, 1, cap - n, f)) > 0);
    int bad = ferror(f);
    fclose(f);
    if (bad) {
        free(buf);
        return NULL;
    }
    *len = n;
    return buf;
}

/* Feed every argument to the fuzz target; report how many ran. */
int main(int argc, char **argv)
{
    int ran = 0;
    for (int i = 1; i < argc; i++) {
        size_t len = 0;
        uint8_t *data = replay_read(argv[i], &len);
        if (!data) {
            fprintf(stderr, "fuzz_replay: cannot read %s\n", argv[i]);
            return 2;
        }
        LLVMFuzzerTestOneInput(data, len);
        free(data);
        ran++;
    }
    printf("fuzz_replay: %d inputs\n", ran);
    return ran > 0 ? 0 : 2;
}
