/*
 * origins.c - the syntax of a widget's allowed origin, checked before it is
 * stored: it becomes a CORS allow-list entry (compared byte for byte with the
 * browser's Origin header) and a CSP frame-ancestors source, so only the form
 * a browser sends is accepted: scheme://host[:port], scheme http or https, a
 * lower-case DNS name or IPv4 address, no default port, nothing else.
 */
#include "widget.h"

#include <string.h>

#define ORIGINS_LABEL_MAX 63

static int origins_is_lower_alnum(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
}

/* Whether host[0..length) is a lower-case DNS name (or an IPv4 address, which
 * has the same characters): dot-separated labels of 1 to 63 letters, digits
 * and inner hyphens. */
static int origins_host_valid(const char *host, size_t length)
{
    size_t label = 0;
    for (size_t i = 0; i < length; i++) {
        char c = host[i];
        if (c == '.') {
            if (label == 0 || host[i - 1] == '-')
                return 0;
            label = 0;
        } else if (origins_is_lower_alnum(c) || (c == '-' && label > 0)) {
            if (++label > ORIGINS_LABEL_MAX)
                return 0;
        } else {
            return 0;
        }
    }
    return label > 0 && host[length - 1] != '-';
}

/* Whether port[0..length) is a decimal 1-65535 without leading zeros, and not
 * the scheme's default (a browser leaves that out of its Origin header). */
static int origins_port_valid(const char *port, size_t length, int https)
{
    if (length == 0 || length > 5 || port[0] == '0')
        return 0;
    long value = 0;
    for (size_t i = 0; i < length; i++) {
        if (port[i] < '0' || port[i] > '9')
            return 0;
        value = value * 10 + (port[i] - '0');
    }
    return value <= 65535 && value != (https ? 443 : 80);
}

const char *origins_problem(const char *origin)
{
    if (strlen(origin) > WIDGET_ORIGIN_MAX)
        return "too_long";
    int https = strncmp(origin, "https://", 8) == 0;
    if (!https && strncmp(origin, "http://", 7) != 0)
        return "scheme";
    const char *authority = origin + (https ? 8 : 7);
    size_t length = strcspn(authority, "/?#");
    if (authority[length] != '\0')
        return "path";
    if (memchr(authority, '@', length) != NULL)
        return "userinfo";
    const char *colon = memchr(authority, ':', length);
    size_t host_length = colon != NULL ? (size_t)(colon - authority) : length;
    if (!origins_host_valid(authority, host_length))
        return "host";
    if (colon != NULL && !origins_port_valid(colon + 1, length - host_length - 1, https))
        return "port";
    return NULL;
}
