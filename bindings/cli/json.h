/*
 * json.h - writing JSON text: strings escaped for any input bytes, numbers
 * that every parser reads back exactly.
 */
#ifndef FP_CLI_JSON_H
#define FP_CLI_JSON_H

#include <stdint.h>
#include <stdio.h>

/* A quoted JSON string.  Control characters become \uXXXX (or \n, \t...);
 * bytes that are not well-formed UTF-8 become U+FFFD, so the output is
 * always valid UTF-8 and valid JSON whatever a repr held. */
void json_string(FILE *out, const char *s);
/* Doubles with 17 significant digits (exact round trip); the loader has
 * already refused NaN and infinities, which JSON cannot say. */
void json_double(FILE *out, double d);
void json_u64(FILE *out, uint64_t v);

#endif /* FP_CLI_JSON_H */
