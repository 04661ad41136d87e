/*
 * open311.c - the API keys of Open311 clients (modules/open311):
 *
 *   otklikctl open311 key create --org CODE
 *                    a new key for the organisation's system, printed once
 *                    (only its SHA-256 is stored); the first key also makes
 *                    the organisation's sending user (esia_oid open311:CODE)
 *   otklikctl open311 key revoke --org CODE
 *                    refuses every key of the organisation from now on
 */
#include "ok_crypto.h"
#include "otklikctl.h"

#include <stdio.h>
#include <string.h>

/* $1 organisation code, $2 the key's SHA-256; no row for an unknown
 * organisation. */
static const char open311_create_sql[] =
    "WITH o AS (SELECT id, code, name, territory_id FROM organisations WHERE code = $1),"
    " u AS (INSERT INTO users (esia_oid, name, territory_id)"
    "   SELECT 'open311:' || code, name, territory_id FROM o"
    "   ON CONFLICT (esia_oid) DO UPDATE SET name = excluded.name RETURNING id)"
    " INSERT INTO open311_keys (organisation_id, user_id, key_sha256)"
    " SELECT o.id, u.id, $2 FROM o, u RETURNING id";

static const char open311_revoke_sql[] =
    "UPDATE open311_keys SET revoked_at = otklik_now()"
    " WHERE revoked_at IS NULL AND organisation_id = (SELECT id FROM organisations WHERE code = $1)"
    " RETURNING id";

int open311_command(PGconn *conn, int argc, char **argv)
{
    const char *org = option(argc, argv, "--org");
    if (argc < 4 || strcmp(argv[2], "key") != 0 || org == NULL)
        return 2;
    int create = strcmp(argv[3], "create") == 0;
    if (!create && strcmp(argv[3], "revoke") != 0)
        return 2;
    char key[65], sha256[65];
    if (create && ok_crypto_random_hex(key, 32) != 0)
        return 1;
    ok_crypto_sha256_hex(key, create ? strlen(key) : 0, sha256);
    const char *params[] = {org, sha256};
    PGresult *result = PQexecParams(conn, create ? open311_create_sql : open311_revoke_sql,
                                    create ? 2 : 1, NULL, params, NULL, NULL, 0);
    int rc = 0;
    if (PQresultStatus(result) != PGRES_TUPLES_OK) {
        fprintf(stderr, "otklikctl: %s", PQresultErrorMessage(result));
        rc = 1;
    } else if (create && PQntuples(result) == 0) {
        fprintf(stderr, "otklikctl: no organisation %s\n", org);
        rc = 1;
    } else if (create) {
        printf("%s\n", key);
    } else {
        printf("revoked %d key(s) of %s\n", PQntuples(result), org);
    }
    PQclear(result);
    return rc;
}
