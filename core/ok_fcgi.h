/*
 * ok_fcgi.h - serving one request on a given FastCGI connection with fcgi2.
 *
 * fcgi2 (libfcgi) has no API to read a request from a connection the caller
 * accepted: FCGX_Accept_r accepts on the listening socket itself and blocks a
 * thread on a kept connection while nginx leaves it idle. The workers keep
 * idle connections in an epoll set instead (ok_server.c) and hand one to fcgi2
 * per request by setting two fields fcgiapp.h marks "don't use": ipcFd (the
 * connection; FCGX_Accept_r accepts only while it is < 0) and keepConnection
 * (so that the FCGX_Finish_r inside FCGX_Accept_r does not close it first).
 *
 * This file is the only place that touches them. Its guards: the build stops
 * unless Debian's libfcgi-dev is 2.4.2 (Makefile) and unless the struct's
 * layout is the one of 2.4.2 (static assertions below, in ok_fcgi.c); the unit
 * test tests/unit/core_fcgi.c serves two requests on one connection through
 * these functions and fails if fcgi2 stops honouring the fields.
 *
 * If Debian's libfcgi changes: read its os_unix.c / fcgiapp.c for how
 * FCGX_Accept_r treats ipcFd and keepConnection; if the behaviour is gone,
 * the way out is to parse FastCGI records ourselves (the protocol is small:
 * BEGIN_REQUEST, PARAMS, STDIN in; STDOUT, END_REQUEST out) in place of fcgi2,
 * behind these two functions.
 */
#ifndef OK_FCGI_H
#define OK_FCGI_H

#include <fcgiapp.h>

/* Reads the next request of connection fd into request (initialised with
 * FCGX_InitRequest(request, -1, 0)). Returns 0, or -1 when nginx closed the
 * connection or it does not speak FastCGI (fcgi2 has closed fd then). */
int ok_fcgi_accept(FCGX_Request *request, int fd);

/* Ends the request (flushing the response). Returns the connection if nginx
 * keeps it for another request, or -1 when it was closed. */
int ok_fcgi_finish(FCGX_Request *request);

#endif
