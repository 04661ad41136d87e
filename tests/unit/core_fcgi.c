/* Unit tests of core/ok_fcgi.c: fcgi2 serves requests on a connection the
 * caller gives it and keeps it open between them - the undocumented use of
 * FCGX_Request's ipcFd and keepConnection that the workers rely on. If a new
 * libfcgi stops honouring them, this fails (see ok_fcgi.h for the plan). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "ok_fcgi.h"

#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

/* One FastCGI record (version 1) of type with content into out; its length. */
static size_t record(unsigned char *out, int type, const void *content, size_t length)
{
    unsigned char header[8] = {
        1, (unsigned char)type, 0, 1, (unsigned char)(length >> 8), (unsigned char)length, 0, 0};
    memcpy(out, header, 8);
    if (length > 0)
        memcpy(out + 8, content, length);
    return 8 + length;
}

/* Writes a GET request for path (with FCGI_KEEP_CONN) to fd. */
static void send_request(int fd, const char *path)
{
    unsigned char buffer[512], params[256];
    size_t n = 0, p = 0;
    const unsigned char begin[8] = {0, 1 /* responder */, 1 /* keep conn */, 0, 0, 0, 0, 0};
    n += record(buffer + n, 1 /* BEGIN_REQUEST */, begin, sizeof(begin));
    const char *pairs[][2] = {{"REQUEST_METHOD", "GET"}, {"DOCUMENT_URI", path}};
    for (size_t i = 0; i < 2; i++) {
        params[p++] = (unsigned char)strlen(pairs[i][0]);
        params[p++] = (unsigned char)strlen(pairs[i][1]);
        memcpy(params + p, pairs[i][0], strlen(pairs[i][0]));
        p += strlen(pairs[i][0]);
        memcpy(params + p, pairs[i][1], strlen(pairs[i][1]));
        p += strlen(pairs[i][1]);
    }
    n += record(buffer + n, 4 /* PARAMS */, params, p);
    n += record(buffer + n, 4, NULL, 0);
    n += record(buffer + n, 5 /* STDIN */, NULL, 0);
    assert_int_equal(write(fd, buffer, n), (ssize_t)n);
}

/* Reads what the worker answered until END_REQUEST; returns the STDOUT bytes. */
static size_t read_response(int fd, char *out, size_t size)
{
    size_t got = 0;
    for (;;) {
        unsigned char header[8], content[65536 + 256];
        assert_int_equal(recv(fd, header, 8, MSG_WAITALL), 8);
        size_t length = ((size_t)header[4] << 8 | header[5]) + header[6];
        if (length > 0)
            assert_int_equal(recv(fd, content, length, MSG_WAITALL), (ssize_t)length);
        if (header[1] == 6 /* STDOUT */ && got + length <= size) {
            memcpy(out + got, content, length - header[6]);
            got += length - header[6];
        }
        if (header[1] == 3 /* END_REQUEST */)
            return got;
    }
}

static void test_two_requests_on_one_kept_connection(void **state)
{
    (void)state;
    int pair[2];
    assert_int_equal(socketpair(AF_UNIX, SOCK_STREAM, 0, pair), 0);
    assert_int_equal(FCGX_Init(), 0);
    FCGX_Request request;
    FCGX_InitRequest(&request, -1, 0);
    const char *paths[] = {"/first", "/second"};
    for (int i = 0; i < 2; i++) {
        send_request(pair[1], paths[i]);
        assert_int_equal(ok_fcgi_accept(&request, pair[0]), 0);
        assert_string_equal(FCGX_GetParam("DOCUMENT_URI", request.envp), paths[i]);
        FCGX_PutS("Status: 200 OK\r\n\r\nhello", request.out);
        assert_int_equal(ok_fcgi_finish(&request), pair[0]); /* kept, not closed */
        char body[256];
        size_t n = read_response(pair[1], body, sizeof(body));
        assert_true(n >= 5 && memcmp(body + n - 5, "hello", 5) == 0);
    }
    /* nginx closes the connection: the next accept says so */
    close(pair[1]);
    assert_int_equal(ok_fcgi_accept(&request, pair[0]), -1);
    FCGX_Free(&request, 1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_two_requests_on_one_kept_connection),
    };
    return cmocka_run_group_tests_name("core_fcgi", tests, NULL, NULL);
}
