/*
 * otklikctl.h - what the command line's files share: its arguments.
 */
#ifndef OTKLIKCTL_H
#define OTKLIKCTL_H

#include <libpq-fe.h>

/* The value after --name among argv[2..], or NULL. */
const char *option(int argc, char **argv, const char *name);
/* Whether --name is among argv[2..]. */
int flag(int argc, char **argv, const char *name);

/* A bearer token for the person with ESIA oid, valid for ttl seconds (its
 * session recorded); malloc'd, or NULL having said why on stderr. */
char *token_issue(PGconn *conn, const char *oid, long ttl);

/* setup.c: user|org|territory|rubric|widget create, org import; 2 when the command is
 * not one of these (or lacks a required option), 1 on failure, 0 done. */
int setup_command(PGconn *conn, int argc, char **argv);
/* open311.c: open311 key create|revoke --org CODE; 2 when malformed, 1 on
 * failure, 0 done. */
int open311_command(PGconn *conn, int argc, char **argv);
/* Whether argv[1] names a command of setup.c. */
int setup_is_command(const char *name);

#endif
