/*
 * sm/export.h - SM_API, the mark of every function libsm exports.
 *
 * libsm is built with -fvisibility=hidden: what its installed headers
 * declare with SM_API is its whole ABI, and nothing else leaves it.
 */
#ifndef SM_EXPORT_H
#define SM_EXPORT_H

#if defined(__GNUC__) || defined(__clang__)
#define SM_API __attribute__((visibility("default")))
#else
#define SM_API
#endif

#endif
