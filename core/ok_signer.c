/*
 * ok_signer.c - runs the signing command with posix_spawn and pipes; see
 * ok_signer.h.
 */
#include "ok_signer.h"
#include "ok_oidc.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define OK_SIGNER_MAX_OUTPUT (64 * 1024)

extern char **environ;

static long long ok_signer_ms(void)
{
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    return (long long)now.tv_sec * 1000 + now.tv_nsec / 1000000;
}

char *ok_signer_sign(const char *command, const char *data, size_t length, int timeout_ms)
{
    int in[2], out[2];
    if (command == NULL || pipe2(in, O_CLOEXEC) != 0)
        return NULL;
    if (pipe2(out, O_CLOEXEC) != 0) {
        close(in[0]);
        close(in[1]);
        return NULL;
    }
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_adddup2(&actions, in[0], STDIN_FILENO);
    posix_spawn_file_actions_adddup2(&actions, out[1], STDOUT_FILENO);
    char *argv[] = {"/bin/sh", "-c", (char *)(uintptr_t)command, NULL};
    pid_t pid;
    int spawned = posix_spawn(&pid, "/bin/sh", &actions, NULL, argv, environ);
    posix_spawn_file_actions_destroy(&actions);
    close(in[0]);
    close(out[1]);
    unsigned char *buffer = malloc(OK_SIGNER_MAX_OUTPUT);
    size_t got = 0;
    int ok = spawned == 0 && buffer != NULL;
    /* The data is small (a few hundred bytes): it fits in the pipe at once. */
    if (ok && write(in[1], data, length) != (ssize_t)length)
        ok = 0;
    close(in[1]);
    long long deadline = ok_signer_ms() + timeout_ms;
    while (ok) {
        struct pollfd p = {out[0], POLLIN, 0};
        long long left = deadline - ok_signer_ms();
        int ready = left > 0 ? poll(&p, 1, (int)left) : 0;
        if (ready < 0 && errno == EINTR)
            continue;
        if (ready <= 0) {
            ok = 0; /* timed out */
            break;
        }
        ssize_t n = read(out[0], buffer + got, OK_SIGNER_MAX_OUTPUT - got);
        if (n == 0)
            break;
        if (n < 0 || (got += (size_t)n) == OK_SIGNER_MAX_OUTPUT)
            ok = 0;
    }
    close(out[0]);
    if (spawned == 0) {
        int status = 0;
        if (!ok)
            kill(pid, SIGKILL);
        while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
            ;
        ok = ok && WIFEXITED(status) && WEXITSTATUS(status) == 0 && got > 0;
    }
    char *signature = ok ? ok_oidc_base64url(buffer, got) : NULL;
    free(buffer);
    return signature;
}
