/*
 * ok_fcgi.c - see ok_fcgi.h.
 */
#include "ok_fcgi.h"

#include <assert.h>
#include <stddef.h>

/* The layout of FCGX_Request in fcgi2 2.4.2 on LP64 (fcgiapp.h). */
static_assert(offsetof(FCGX_Request, envp) == 32, "fcgi2's FCGX_Request changed: see ok_fcgi.h");
static_assert(offsetof(FCGX_Request, ipcFd) == 48, "fcgi2's FCGX_Request changed: see ok_fcgi.h");
static_assert(offsetof(FCGX_Request, keepConnection) == 56,
              "fcgi2's FCGX_Request changed: see ok_fcgi.h");
static_assert(sizeof(FCGX_Request) == 80, "fcgi2's FCGX_Request changed: see ok_fcgi.h");

int ok_fcgi_accept(FCGX_Request *request, int fd)
{
    request->ipcFd = fd;
    request->keepConnection = 1;
    return FCGX_Accept_r(request) < 0 ? -1 : 0;
}

int ok_fcgi_finish(FCGX_Request *request)
{
    FCGX_Finish_r(request); /* closes the connection unless nginx keeps it */
    int fd = request->ipcFd;
    request->ipcFd = -1;
    return fd;
}
