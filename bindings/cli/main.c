/*
 * main.c - the footprint command: reads dump files written by any host
 * (fp_tracker_dump) and prints, compares or exports them.
 */
#include "cli.h"

#include <string.h>

static const cli_command *const commands[] = {&cli_summary, &cli_stats,
                                              &cli_diff, &cli_export,
                                              &cli_html};
#define NCOMMANDS (sizeof commands / sizeof *commands)

static void usage(FILE *out)
{
    size_t i;

    fputs("usage: footprint COMMAND [OPTIONS] DUMP...\n"
          "\n"
          "Reads dump files of footprint's class tracker.\n"
          "\n"
          "commands:\n",
          out);
    for (i = 0; i < NCOMMANDS; i++)
        fprintf(out, "  %-9s %s\n", commands[i]->name, commands[i]->summary);
    fputs("\n"
          "  footprint COMMAND --help   options of one command\n"
          "  footprint --version        versions of footprint and its "
          "dump format\n"
          "\n"
          "exit status: 0 success, 1 a dump could not be read, 2 bad usage\n",
          out);
}

int main(int argc, char **argv)
{
    size_t i;

    if (argc < 2) {
        usage(stderr);
        return CLI_EUSAGE;
    }
    if (cli_is_help(argv[1]) || strcmp(argv[1], "help") == 0) {
        if (argc > 2 && strcmp(argv[1], "help") == 0)
            for (i = 0; i < NCOMMANDS; i++)
                if (strcmp(argv[2], commands[i]->name) == 0)
                    return cli_help(commands[i]);
        usage(stdout);
        return cli_finish(CLI_OK);
    }
    if (strcmp(argv[1], "--version") == 0) {
        int v = fp_version();
        printf("footprint %d.%d.%d (dump format %d)\n", v / 10000,
               v / 100 % 100, v % 100, FP_DUMP_VERSION);
        return cli_finish(CLI_OK);
    }
    for (i = 0; i < NCOMMANDS; i++)
        if (strcmp(argv[1], commands[i]->name) == 0)
            return cli_finish(commands[i]->run(argc - 1, argv + 1));
    fprintf(stderr, "footprint: unknown command '%s'\n\n", argv[1]);
    usage(stderr);
    return CLI_EUSAGE;
}
