/*
 * person.c - the person's data from ESIA's REST API (GET {person_url}/{oid}
 * and {person_url}/{oid}/addrs?embed=(elements)) with the access token and the
 * scopes the person granted: the full name (fullname) and, when granted, the
 * registration address (type "PRG", addresses), which the login maps to the
 * citizen's territory as it does an address claim. Whatever is not granted or
 * does not answer within OTKLIK_ESIA_TIMEOUT_MS is left as the tokens gave it;
 * nothing personal is logged (only HTTP statuses).
 */
#include "esia.h"
#include "ok_curl.h"
#include "ok_utf8.h"

#include <stdio.h>
#include <string.h>

static void person_copy(char *out, size_t size, const char *text)
{
    snprintf(out, size, "%.*s", (int)ok_utf8_prefix(text, strlen(text), size - 1), text);
}

static void person_name(json_t *person, ok_oidc_identity *identity)
{
    const char *last = json_string_value(json_object_get(person, "lastName"));
    const char *first = json_string_value(json_object_get(person, "firstName"));
    const char *middle = json_string_value(json_object_get(person, "middleName"));
    if (last == NULL || first == NULL || last[0] == '\0' || first[0] == '\0')
        return;
    char name[sizeof(identity->name) * 2];
    snprintf(name, sizeof(name), "%s %s%s%s", last, first, middle ? " " : "", middle ? middle : "");
    person_copy(identity->name, sizeof(identity->name), name);
}

/* The registration address (type PRG) of the person's addresses, if any. */
static void person_address(json_t *addresses, ok_oidc_identity *identity)
{
    size_t i;
    json_t *element;
    json_array_foreach(json_object_get(addresses, "elements"), i, element)
    {
        const char *type = json_string_value(json_object_get(element, "type"));
        const char *line = json_string_value(json_object_get(element, "addressStr"));
        if (type != NULL && strcmp(type, "PRG") == 0 && line != NULL && line[0] != '\0') {
            person_copy(identity->address, sizeof(identity->address), line);
            return;
        }
    }
}

void esia_person_read(ok_request *req, const char *access_token, ok_oidc_identity *identity)
{
    if (esia.person_url == NULL || access_token == NULL)
        return;
    /* the oid is ESIA's number, or the local provider's login name: escaped */
    char *oid = curl_easy_escape(NULL, identity->subject, 0);
    if (oid == NULL)
        return;
    json_t *person =
        esia_get_json(ok_arena_printf(req->arena, "%s/%s", esia.person_url, oid), access_token);
    person_name(person, identity);
    json_decref(person);
    json_t *addresses = esia_get_json(
        ok_arena_printf(req->arena, "%s/%s/addrs?embed=(elements)", esia.person_url, oid),
        access_token);
    person_address(addresses, identity);
    json_decref(addresses);
    curl_free(oid);
}
