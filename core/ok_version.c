/*
 * ok_version.c - the version compiled in by the Makefile (-DOK_VERSION from
 * git describe --always --dirty); see ok_version.h.
 */
#include "ok_version.h"

#include <stdio.h>
#include <string.h>

#ifndef OK_VERSION
#define OK_VERSION "unknown"
#endif

const char *ok_version(void)
{
    return OK_VERSION;
}

int ok_version_printed(void)
{
    char cmdline[256] = {0};
    FILE *file = fopen("/proc/self/cmdline", "r");
    if (file == NULL)
        return 0;
    size_t length = fread(cmdline, 1, sizeof(cmdline) - 1, file);
    fclose(file);
    size_t program = strnlen(cmdline, length); /* argv[0], then NUL, then argv[1] */
    if (program + 1 >= length || strcmp(cmdline + program + 1, "--version") != 0)
        return 0;
    const char *name = strrchr(cmdline, '/');
    printf("%s %s\n", name != NULL ? name + 1 : cmdline, OK_VERSION);
    return 1;
}
