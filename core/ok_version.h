/*
 * ok_version.h - the build's version (git describe at build time) and the
 * --version option every program answers.
 */
#ifndef OK_VERSION_H
#define OK_VERSION_H

/* "v1.2-3-gabcdef0", "abcdef0-dirty" without tags, "unknown" without git. */
const char *ok_version(void);

/* Whether the program was started as "<program> --version" (read from
 * /proc/self/cmdline, so that a worker's main needs no arguments); if so the
 * version has been printed to stdout. */
int ok_version_printed(void);

#endif
