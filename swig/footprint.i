/*
 * footprint.i - the one SWIG interface every language binding shares.
 *
 * A language's own file (python.i, later lua.i) names the module, defines
 * the two hooks below and includes this file.  Only the core functions
 * named here are wrapped: the rest of footprint.h stays C-only until a
 * binding needs it (it takes one %rename line to add one).
 *
 * Hooks a language file must define in its %{ %} block:
 *   FP_SWIG_RAISE(st)  set the language's error for status st (st != 0);
 *                      an error the language already has pending wins
 *   FP_SWIG_OK         produce the language's "nothing" result
 */

%{
#include <stdlib.h>

#include "footprint.h"

/* FP_EVERSION unless the core linked in is the one these headers (and so
 * this binding) were built for.  Bindings refuse to load on a mismatch. */
static fp_status fp_check_version(int header_version)
{
    return fp_version() == header_version ? FP_OK : FP_EVERSION;
}

/* pympler's number formats, as new strings (freed by the wrapper). */
static char *fp_swig_text(size_t (*fn)(double, char *, size_t), double v)
{
    size_t n = fn(v, NULL, 0);
    char *s = malloc(n + 1);
    if (s)
        fn(v, s, n + 1);
    return s;
}

static char *fp_format_size_str(double bytes)
{
    return fp_swig_text(fp_format_size, bytes);
}

static char *fp_format_time_str(double seconds)
{
    return fp_swig_text(fp_format_time, seconds);
}
%}

/* Every fp_status return: an error in the host language unless FP_OK. */
%typemap(out) fp_status {
    if ($1 != FP_OK) {
        FP_SWIG_RAISE($1);
        SWIG_fail;
    }
    FP_SWIG_OK;
}

/* Wrap only what is named below. */
%rename("$ignore", regextarget=1, fullname=1) "^fp_[^:]*$";
%rename("$ignore", regextarget=1, fullname=1) "^FP_[^:]*$";

%rename(version) fp_version;
%rename(strerror) fp_strerror;
%rename(status_name) fp_status_name;
%rename(check_version) fp_check_version;
%rename(format_size) fp_format_size_str;
%rename(format_time) fp_format_time_str;
%rename("%s") FP_VERSION_MAJOR;
%rename("%s") FP_VERSION_MINOR;
%rename("%s") FP_VERSION_PATCH;
%rename("%s") FP_VERSION_NUMBER;
%rename("%s") FP_VERSION_STRING;

%include "footprint.h"

fp_status fp_check_version(int header_version);
%newobject fp_format_size_str;
%newobject fp_format_time_str;
char *fp_format_size_str(double bytes);
char *fp_format_time_str(double seconds);
