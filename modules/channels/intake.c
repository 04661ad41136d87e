/*
 * intake.c - POST /api/v1/intake/messages: an intake operator (a call centre's
 * or a reception's, role intake_operator in a moderation organisation) enters
 * a message for a citizen who called (channel phone), came in (visit) or wrote
 * (email). The citizen is named by name and contact instead of an ESIA
 * account: his profile is the user whose esia_oid is "phone:<digits>" or
 * "email:<address>" (one per contact, so a caller's messages stay together;
 * no ESIA login can take such an oid), or "intake:<uuid>" without a contact.
 * The message then goes through the same lifecycle, from moderation in the
 * operator's organisation's territory, with the same pre-checks.
 */
#include "channels.h"
#include "ok_auth.h"
#include "ok_authz.h"
#include "ok_crypto.h"
#include "ok_json.h"
#include "ok_precheck.h"
#include "ok_problem.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

static const ok_json_field intake_location_fields[] = {
    {"lat", OK_JSON_NUMBER, .required = true, .min = -90, .max = 90},
    {"lon", OK_JSON_NUMBER, .required = true, .min = -180, .max = 180},
    {0},
};

static const ok_json_field intake_citizen_fields[] = {
    {"name", OK_JSON_STRING, .required = true, .min = 1, .max = 300},
    {"phone", OK_JSON_STRING, .min = 5, .max = 30},
    {"email", OK_JSON_STRING, .min = 3, .max = 254},
    {"notify_by_email", OK_JSON_BOOLEAN},
    /* the language of his e-mail (sql/071): ru by default, or en */
    {"language", OK_JSON_STRING, .min = 2, .max = 2},
    {0},
};

static const ok_json_field intake_fields[] = {
    {"channel", OK_JSON_STRING, .required = true, .min = 1, .max = 10},
    {"citizen", OK_JSON_OBJECT, .required = true, .fields = intake_citizen_fields},
    {"rubric_id", OK_JSON_INTEGER, .required = true, .min = 1, .max = 1e15},
    {"text", OK_JSON_STRING, .required = true, .min = 1, .max = 5000},
    {"address", OK_JSON_STRING, .max = 500},
    {"location", OK_JSON_OBJECT, .fields = intake_location_fields},
    {0},
};

typedef struct intake_input {
    json_t *body;
    const char *organisation; /* where the caller holds intake_operator */
    const char *oid;
    const char *phone, *email;
} intake_input;

/* The first organisation where the caller may take messages in; NULL after
 * answering 403. */
static const char *intake_organisation_or_reply(ok_request *req)
{
    for (size_t i = 0; i < req->user->role_count; i++)
        if (ok_authz_can(req->user, "message.intake", req->user->roles[i].organisation_id))
            return ok_arena_printf(req->arena, "%lld", req->user->roles[i].organisation_id);
    ok_problem(req, 403, "Only intake operators enter messages for citizens.");
    return NULL;
}

/* The phone's digits ("+" and 10 to 15 digits) into in->phone; -1 having
 * answered 422. */
static int intake_phone_or_reply(ok_request *req, const char *given, intake_input *in)
{
    if (given == NULL)
        return 0;
    char *digits = ok_arena_alloc(req->arena, strlen(given) + 2);
    size_t n = 0;
    int bad = 0;
    digits[n++] = '+';
    for (const char *p = given; *p && !bad; p++)
        if (isdigit((unsigned char)*p))
            digits[n++] = *p;
        else
            bad = strchr(" +-()", *p) == NULL;
    digits[n] = '\0';
    if (bad || n < 11 || n > 16) {
        ok_problem_field(req, "citizen.phone", "invalid", "The phone number is not valid.");
        return -1;
    }
    in->phone = digits;
    return 0;
}

/* The citizen's contact checked, and his profile's esia_oid; -1 having answered 422. */
static int intake_contact_or_reply(ok_request *req, json_t *citizen, intake_input *in)
{
    const char *email = json_string_value(json_object_get(citizen, "email"));
    if (intake_phone_or_reply(req, json_string_value(json_object_get(citizen, "phone")), in) != 0)
        return -1;
    if (email != NULL) {
        const char *at = strchr(email, '@');
        int blank = 0;
        for (const unsigned char *p = (const unsigned char *)email; *p; p++)
            blank |= *p <= 0x20 || *p == 0x7F;
        if (at == NULL || at == email || strchr(at + 1, '.') == NULL || blank) {
            ok_problem_field(req, "citizen.email", "invalid", "The e-mail address is not valid.");
            return -1;
        }
        in->email = email;
    }
    const char *language = json_string_value(json_object_get(citizen, "language"));
    if (language != NULL && strcmp(language, "ru") != 0 && strcmp(language, "en") != 0) {
        ok_problem_field(req, "citizen.language", "unknown", "The language is ru or en.");
        return -1;
    }
    if (json_is_true(json_object_get(citizen, "notify_by_email")) && in->email == NULL) {
        ok_problem_field(req, "citizen.email", "required",
                         "An answer by e-mail needs the citizen's address.");
        return -1;
    }
    char uuid[37];
    if (in->phone == NULL && in->email == NULL && ok_crypto_uuid(uuid) != 0)
        return -1;
    in->oid = in->phone != NULL   ? ok_arena_printf(req->arena, "phone:%s", in->phone)
              : in->email != NULL ? ok_arena_printf(req->arena, "email:%s", in->email)
                                  : ok_arena_printf(req->arena, "intake:%s", uuid);
    return 0;
}

static int intake_insert_tx(ok_request *req, void *context)
{
    intake_input *in = context;
    json_t *body = in->body, *citizen = json_object_get(body, "citizen");
    json_t *location = json_object_get(body, "location");
    json_t *flags = ok_precheck_text(json_string_value(json_object_get(body, "text")));
    char *flags_text = json_dumps(flags, JSON_COMPACT);
    json_decref(flags);
    const char *params[] = {
        in->oid,
        json_string_value(json_object_get(citizen, "name")),
        ok_arena_printf(req->arena, "%lld",
                        (long long)json_integer_value(json_object_get(body, "rubric_id"))),
        json_string_value(json_object_get(body, "text")),
        json_string_value(json_object_get(body, "address")),
        json_is_object(location)
            ? ok_arena_printf(req->arena, "%.17g",
                              json_number_value(json_object_get(location, "lat")))
            : NULL,
        json_is_object(location)
            ? ok_arena_printf(req->arena, "%.17g",
                              json_number_value(json_object_get(location, "lon")))
            : NULL,
        ok_arena_strdup(req->arena, flags_text),
        in->organisation,
        json_string_value(json_object_get(body, "channel")),
        ok_arena_printf(req->arena, "%lld", req->user->id),
        in->phone,
        in->email,
        json_is_true(json_object_get(citizen, "notify_by_email")) ? "true" : "false",
        json_string_value(json_object_get(citizen, "language"))};
    free(flags_text);
    PGresult *row = ok_db_exec(req, "intake_insert", 15, params);
    if (row == NULL)
        return OK_DB_ROLLBACK;
    if (PQntuples(row) == 0) {
        ok_problem_field(req, "rubric_id", "unknown", "There is no such rubric.");
        return OK_DB_ROLLBACK;
    }
    ok_http_header(req, "Location",
                   ok_arena_printf(req->arena, "/api/v1/messages/%s", PQgetvalue(row, 0, 0)));
    ok_http_respond(req, 201, "application/json", PQgetvalue(row, 0, 1),
                    (size_t)PQgetlength(row, 0, 1));
    return OK_DB_COMMIT;
}

void intake_create(ok_request *req)
{
    if (ok_auth_require_user(req) != 0)
        return;
    intake_input in = {.organisation = intake_organisation_or_reply(req)};
    if (in.organisation == NULL)
        return;
    in.body = ok_json_read_object_or_reply(req, intake_fields);
    if (in.body == NULL)
        return;
    const char *channel = json_string_value(json_object_get(in.body, "channel"));
    if (strcmp(channel, "phone") != 0 && strcmp(channel, "visit") != 0 &&
        strcmp(channel, "email") != 0) {
        ok_problem_field(req, "channel", "unknown", "The channel is phone, visit or email.");
        return;
    }
    if (intake_contact_or_reply(req, json_object_get(in.body, "citizen"), &in) == 0)
        ok_db_transaction(req, intake_insert_tx, &in);
}

/* ---------------------------------------------------------- unsubscribe */

/* The ?key= of an unsubscribe link: 32 hex digits, or NULL having answered 404. */
static const char *intake_unsubscribe_key_or_reply(ok_request *req)
{
    const char *key = ok_http_query(req, "key");
    size_t length = key != NULL ? strlen(key) : 0;
    int ok = length == 32;
    for (size_t i = 0; ok && i < length; i++)
        ok = isxdigit((unsigned char)key[i]) && !isupper((unsigned char)key[i]);
    if (!ok) {
        ok_problem(req, 404, "This unsubscribe link is not valid.");
        return NULL;
    }
    return key;
}

static const char intake_unsubscribe_page[] =
    "<!doctype html><html lang=\"ru\"><head><meta charset=\"utf-8\">"
    "<meta name=\"viewport\" content=\"width=device-width\">"
    "<title>Отписка от писем Отклика</title></head><body><main>"
    "<h1>Отписка от писем</h1><p>Больше не присылать письма о ваших сообщениях?</p>"
    "<form method=\"post\"><button type=\"submit\">Отписаться</button></form>"
    "</main></body></html>";

/* GET: a page whose button confirms (a mail scanner that opens links
 * unsubscribes nobody). */
void intake_unsubscribe_page_show(ok_request *req)
{
    if (intake_unsubscribe_key_or_reply(req) != NULL)
        ok_http_respond(req, 200, "text/html; charset=utf-8", intake_unsubscribe_page,
                        sizeof(intake_unsubscribe_page) - 1);
}

/* POST: the form's button, or a mail client's one-click unsubscribe (RFC 8058). */
void intake_unsubscribe(ok_request *req)
{
    const char *key = intake_unsubscribe_key_or_reply(req);
    if (key == NULL)
        return;
    const char *params[] = {key};
    PGresult *done = ok_db_write(req, "intake_unsubscribe", 1, params);
    if (done == NULL)
        return;
    if (PQntuples(done) == 0) {
        ok_problem(req, 404, "This unsubscribe link is not valid.");
        return;
    }
    static const char page[] =
        "<!doctype html><html lang=\"ru\"><head><meta charset=\"utf-8\">"
        "<title>Отписка от писем Отклика</title></head><body><main>"
        "<h1>Вы отписаны</h1><p>Писем больше не будет.</p></main></body></html>";
    ok_http_respond(req, 200, "text/html; charset=utf-8", page, sizeof(page) - 1);
}
