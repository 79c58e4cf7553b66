/*
 * fuzz_check.h - what the runtime's fuzz targets assert of a message:
 * printable ASCII only, so a hostile input cannot forge log lines or
 * send escape sequences through it.
 */
#ifndef SM_FUZZ_CHECK_H
#define SM_FUZZ_CHECK_H

static inline int fuzz_printable(const char *msg)
{
    for (const unsigned char *c = (const unsigned char *)msg; *c; c++)
        if (*c < 0x20 || *c > 0x7e)
            return 0;
    return 1;
}

#endif
