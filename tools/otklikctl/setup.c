/*
 * setup.c - setting the platform up from scripts, as modules/admin does from
 * the cabinet (one statement each; the database's checks refuse bad values):
 *
 *   otklikctl user create --esia-oid OID --name NAME [--territory CODE]
 *                    a person who has not logged in yet (then: token, grant)
 *   otklikctl territory create --code C --name N --kind region|municipality|settlement
 *                    [--parent CODE] [--boundary GEOJSON]
 *   otklikctl org create --code C --name N --territory CODE [--kind KIND] [--moderation]
 *   otklikctl rubric create --code C --title T --deadline-days N [--parent CODE]
 *                    [--accelerated]
 *   otklikctl widget create --org CODE [--key KEY] [--title T] [--origins A,B]
 *   otklikctl org import FILE --as OID
 *                    a CSV of organisations, sent to the running platform's
 *                    POST /api/v1/orgs/import as operator OID (the same checks,
 *                    all or nothing, and the audit names OID); prints its answer
 *
 * Each prints what it made (a widget: its key); an existing code is an error
 * (exit 1) but for user create, which leaves the person as is. Changes made
 * here are in the admin audit without an actor (the console).
 */
#include "ok_config.h"
#include "ok_crypto.h"
#include "ok_curl.h"
#include "otklikctl.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct setup_spec {
    const char *object;
    const char *sql;
    const char *options[7]; /* $1.. in order; NULL ends */
    int required;           /* the first `required` options must be given */
} setup_spec;

static const setup_spec setup_specs[] = {
    {"user",
     "INSERT INTO users (esia_oid, name, territory_id)"
     " VALUES ($1, $2, (SELECT id FROM territories WHERE code = $3))"
     " ON CONFLICT (esia_oid) DO NOTHING RETURNING esia_oid",
     {"--esia-oid", "--name", "--territory"},
     2},
    {"territory",
     "INSERT INTO territories (code, name, kind, parent_id, boundary)"
     " SELECT $1, $2, $3, p.id, CASE WHEN $5::text IS NULL THEN NULL ELSE"
     "  coalesce(otklik_try_geojson($5), ST_GeomFromGeoJSON($5)) END"
     " FROM (SELECT 1) one LEFT JOIN territories p ON p.code = $4"
     " WHERE $4::text IS NULL OR p.id IS NOT NULL RETURNING code",
     {"--code", "--name", "--kind", "--parent", "--boundary"},
     3},
    {"org",
     "INSERT INTO organisations (code, name, territory_id, kind, is_moderation)"
     " SELECT $1, $2, t.id, coalesce($4, 'authority'), $5::boolean FROM territories t"
     " WHERE t.code = $3 RETURNING code",
     {"--code", "--name", "--territory", "--kind", "--moderation"},
     3},
    {"rubric",
     "INSERT INTO rubrics (code, title, deadline_days, parent_id, is_accelerated, position)"
     " SELECT $1, $2, $3::integer, p.id, $5::boolean,"
     "  (SELECT coalesce(max(position), 0) + 1 FROM rubrics WHERE parent_id IS NOT DISTINCT FROM"
     "   p.id)"
     " FROM (SELECT 1) one LEFT JOIN rubrics p ON p.code = $4 AND p.parent_id IS NULL"
     " WHERE $4::text IS NULL OR p.id IS NOT NULL RETURNING id || ' ' || code",
     {"--code", "--title", "--deadline-days", "--parent", "--accelerated"},
     3},
    {"widget",
     "INSERT INTO widgets (organisation_id, key, title, allowed_origins)"
     " SELECT o.id, $2, coalesce($3, o.name), coalesce(string_to_array($4, ','), '{}')"
     " FROM organisations o WHERE o.code = $1 RETURNING key",
     {"--org", "--key", "--title", "--origins"},
     1},
};

static const setup_spec *setup_find(const char *object)
{
    for (size_t i = 0; i < sizeof(setup_specs) / sizeof(setup_specs[0]); i++)
        if (strcmp(setup_specs[i].object, object) == 0)
            return &setup_specs[i];
    return NULL;
}

int setup_is_command(const char *name)
{
    return setup_find(name) != NULL;
}

/* Collects a response body. */
static size_t setup_collect(char *data, size_t size, size_t count, void *context)
{
    FILE *out = context;
    return fwrite(data, size, count, out);
}

/* org import FILE --as OID: the file POSTed as OID to the platform. */
static int setup_import(PGconn *conn, int argc, char **argv)
{
    const char *path = argc > 3 ? argv[3] : NULL, *oid = option(argc, argv, "--as");
    if (path == NULL || oid == NULL || path[0] == '-')
        return 2;
    FILE *file = fopen(path, "rb");
    if (file == NULL) {
        perror(path);
        return 1;
    }
    char *body = NULL;
    size_t length = 0;
    FILE *buffer = open_memstream(&body, &length);
    char chunk[65536];
    size_t n;
    while (buffer != NULL && (n = fread(chunk, 1, sizeof(chunk), file)) > 0)
        fwrite(chunk, 1, n, buffer);
    fclose(file);
    if (buffer == NULL || fclose(buffer) != 0) {
        free(body);
        return 1;
    }
    char *token = token_issue(conn, oid, 600);
    char *url = NULL, *authorization = NULL;
    CURL *curl = NULL;
    int rc = 1;
    if (token != NULL &&
        asprintf(&url, "%s/api/v1/orgs/import", ok_config_global.public_origin) > 0 &&
        asprintf(&authorization, "Authorization: Bearer %s", token) > 0 &&
        (curl = ok_curl_new(url, 300000)) != NULL) {
        struct curl_slist *headers = curl_slist_append(NULL, "Content-Type: text/csv");
        headers = curl_slist_append(headers, authorization);
        curl_easy_setopt(curl, CURLOPT_HTTPHEADER, headers);
        curl_easy_setopt(curl, CURLOPT_POSTFIELDS, body);
        curl_easy_setopt(curl, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)length);
        curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, setup_collect);
        curl_easy_setopt(curl, CURLOPT_WRITEDATA, stdout);
        CURLcode sent = curl_easy_perform(curl);
        long status = 0;
        curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &status);
        putchar('\n');
        if (sent != CURLE_OK)
            fprintf(stderr, "otklikctl: %s: %s\n", url, curl_easy_strerror(sent));
        rc = sent == CURLE_OK && status == 200 ? 0 : 1;
        curl_slist_free_all(headers);
        curl_easy_cleanup(curl);
    }
    free(url);
    free(authorization);
    free(token);
    free(body);
    return rc;
}

int setup_command(PGconn *conn, int argc, char **argv)
{
    if (strcmp(argv[1], "org") == 0 && argc > 2 && strcmp(argv[2], "import") == 0) {
        curl_global_init(CURL_GLOBAL_DEFAULT);
        return setup_import(conn, argc, argv);
    }
    const setup_spec *spec = setup_find(argv[1]);
    if (spec == NULL || argc < 3 || strcmp(argv[2], "create") != 0)
        return 2;
    const char *params[7] = {0};
    int count = 0;
    for (; count < 7 && spec->options[count] != NULL; count++) {
        const char *name = spec->options[count];
        /* the flags: --moderation, --accelerated */
        if (strcmp(name, "--moderation") == 0 || strcmp(name, "--accelerated") == 0)
            params[count] = flag(argc, argv, name) ? "true" : "false";
        else
            params[count] = option(argc, argv, name);
        if (count < spec->required && params[count] == NULL)
            return 2;
    }
    char key[33];
    if (strcmp(spec->object, "widget") == 0 && params[1] == NULL) {
        if (ok_crypto_random_hex(key, 16) != 0)
            return 1;
        params[1] = key;
    }
    PGresult *result = PQexecParams(conn, spec->sql, count, NULL, params, NULL, NULL, 0);
    int rc = 0;
    if (PQresultStatus(result) != PGRES_TUPLES_OK) {
        fprintf(stderr, "otklikctl: %s", PQresultErrorMessage(result));
        rc = 1;
    } else if (PQntuples(result) == 0 && strcmp(spec->object, "user") == 0) {
        printf("user %s exists (no change)\n", params[0]);
    } else if (PQntuples(result) == 0) {
        fprintf(stderr,
                "otklikctl: %s not created: an unknown territory, parent or "
                "organisation\n",
                spec->object);
        rc = 1;
    } else {
        printf("created %s %s\n", spec->object, PQgetvalue(result, 0, 0));
    }
    PQclear(result);
    return rc;
}
