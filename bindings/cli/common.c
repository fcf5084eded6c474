/*
 * common.c - loading dumps, printing, and the error conventions every
 * command shares (cli.h).
 */
#include "cli.h"

#include <stdarg.h>
#include <string.h>

int cli_usage_error(const cli_command *cmd, const char *fmt, ...)
{
    va_list ap;

    fprintf(stderr, "footprint %s: ", cmd->name);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fprintf(stderr, "\ntry 'footprint %s --help'\n", cmd->name);
    return CLI_EUSAGE;
}

int cli_is_help(const char *arg)
{
    return strcmp(arg, "--help") == 0 || strcmp(arg, "-h") == 0;
}

int cli_help(const cli_command *cmd)
{
    fputs(cmd->usage, stdout);
    return cli_finish(CLI_OK);
}

int cli_option(int argc, char **argv, int *i, const char *name,
               const char **value)
{
    const char *a = argv[*i];
    size_t n = strlen(name);

    if (strncmp(a, "--", 2) != 0 || strncmp(a + 2, name, n) != 0)
        return 0;
    if (a[2 + n] == '=') {
        *value = a + 3 + n;
        return 1;
    }
    if (a[2 + n] != '\0')
        return 0;
    if (*i + 1 >= argc)
        return -1;
    *value = argv[++*i];
    return 1;
}

int cli_load(const char *path, fp_tracker **out)
{
    fp_status st = fp_tracker_new(out, NULL, NULL);
    const char *msg;

    if (st == FP_OK && (st = fp_tracker_load(*out, path)) == FP_OK)
        return CLI_OK;
    msg = fp_tracker_errmsg(*out);
    fprintf(stderr, "footprint: %s\n", *msg ? msg : fp_strerror(st));
    fp_tracker_free(*out);
    *out = NULL;
    return CLI_EFILE;
}

int cli_fail(const char *what, fp_status st)
{
    fprintf(stderr, "footprint: %s: %s\n", what, fp_strerror(st));
    return CLI_EFILE;
}

int cli_emit(fp_text *text)
{
    size_t n = fp_text_len(text);
    int ok = fwrite(fp_text_data(text), 1, n, stdout) == n;

    fp_text_free(text);
    return ok ? CLI_OK : cli_finish(CLI_EFILE);
}

int cli_finish(int status)
{
    if (fflush(stdout) != 0 || ferror(stdout)) {
        fprintf(stderr, "footprint: cannot write the output\n");
        return status ? status : CLI_EFILE;
    }
    return status;
}
