/*
 * status.c - status messages, names, the version, and the one helper
 * that writes the message a handle keeps.
 */
#include "internal.h"

#include <stdio.h>

int fp_version(void)
{
    return FP_VERSION_NUMBER;
}

const char *fp_strerror(int status)
{
    switch (status) {
#define FP_STATUS_MSG_(name, value, msg) case value: return msg;
        FP_STATUS_TABLE(FP_STATUS_MSG_)
#undef FP_STATUS_MSG_
    default:
        return "unknown status";
    }
}

const char *fp_status_name(int status)
{
    switch (status) {
#define FP_STATUS_NAME_(name, value, msg) case value: return #name;
        FP_STATUS_TABLE(FP_STATUS_NAME_)
#undef FP_STATUS_NAME_
    default:
        return "FP_UNKNOWN";
    }
}

void fp_errmsg_vset(char *buf, const char *fmt, va_list ap)
{
    vsnprintf(buf, FP_ERRMSG_SIZE, fmt, ap);
}

void fp_errmsg_set(char *buf, const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    fp_errmsg_vset(buf, fmt, ap);
    va_end(ap);
}
