/*
 * services.c - GET discovery, services and services/{code}: where the
 * endpoint is and what can be reported (the leaf rubrics, service_code being
 * the rubric's code). The rubrics carry no questions, so each definition has
 * no attributes and each service says metadata false.
 */
#include "ok_config.h"
#include "ok_db.h"
#include "ok_problem.h"
#include "ok_version.h"
#include "open311.h"

#include <string.h>

void services_discovery(ok_request *req)
{
    open311_format format = open311_format_of(req);
    const char *url = ok_arena_printf(req->arena, "%s/open311/v2", ok_config_global.public_origin);
    json_t *endpoint =
        json_pack("{s:s, s:s, s:s, s:s, s:[s, s]}", "specification",
                  "http://wiki.open311.org/GeoReport_v2", "url", url, "changeset", ok_version(),
                  "type", "production", "formats", "text/xml", "application/json");
    json_t *body = json_pack("{s:s, s:s, s:s, s:[o]}", "changeset", ok_version(), "contact",
                             ok_config_global.public_origin, "key_service",
                             "otklikctl open311 key create --org CODE", "endpoints", endpoint);
    open311_reply(req, format, 200, body, "discovery", NULL);
}

void services_list(ok_request *req)
{
    open311_format format = open311_format_of(req);
    PGresult *result = ok_db_query(req, "open311_services", 0, NULL);
    if (result == NULL) {
        ok_db_reply_failure(req);
        return;
    }
    open311_reply(req, format, 200, json_loads(PQgetvalue(result, 0, 0), 0, NULL), "services",
                  "service");
}

void services_show(ok_request *req)
{
    const char *code;
    open311_format format;
    if (open311_split_format(req->arena, req->path_strings[0], &code, &format) != 0) {
        ok_problem(req, 404, "Add .json or .xml to the address.");
        return;
    }
    const char *params[] = {code};
    PGresult *result = ok_db_query(req, "open311_service", 1, params);
    if (result == NULL) {
        ok_db_reply_failure(req);
        return;
    }
    if (PQntuples(result) == 0) {
        open311_error(req, format, 404, "There is no service with this code.");
        return;
    }
    json_t *body = json_pack("{s:s, s:[]}", "service_code", code, "attributes");
    open311_reply(req, format, 200, body, "service_definition", NULL);
}
