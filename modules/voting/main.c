/*
 * main.c - the participation worker: its routes and its SQL.
 */
#include "ok_server.h"
#include "voting.h"

static int voting_init(void)
{
    return voting_is_rfc3339("2026-01-01T00:00:00Z") ? 0 : -1; /* compiles the pattern */
}

static const ok_route voting_routes[] = {
    {"GET", "/healthz", ok_server_healthz},
    {"GET", "/api/v1/votings", votings_list},
    {"POST", "/api/v1/votings", votings_create},
    {"GET", "/api/v1/votings/{id}", votings_show},
    {"PATCH", "/api/v1/votings/{id}", votings_update},
    {"POST", "/api/v1/votings/{id}/projects", projects_create},
    {"PATCH", "/api/v1/votings/{id}/projects/{project_id}", projects_update},
    {"POST", "/api/v1/votings/{id}/ballots", ballots_cast},
    {"GET", "/api/v1/votings/{id}/ballot", ballots_mine},
    /* public results; a widget token is taken as the citizen, without staff roles */
    {"GET", "/api/v1/votings/{id}/results", results_show, OK_ROUTE_WIDGET},
    {"GET", "/api/v1/votings/{id}/results.csv", results_csv},
    {"GET", "/api/v1/polls", polls_list},
    {"POST", "/api/v1/polls", polls_create},
    {"GET", "/api/v1/polls/{id}", polls_show},
    {"PATCH", "/api/v1/polls/{id}", polls_update},
    {"POST", "/api/v1/polls/{id}/responses", polls_respond},
    {"GET", "/api/v1/polls/{id}/results", polls_results},
    {"GET", "/api/v1/discussions", discussions_list},
    {"POST", "/api/v1/discussions", discussions_create},
    {"GET", "/api/v1/discussions/{id}", discussions_show},
    {"PATCH", "/api/v1/discussions/{id}", discussions_update},
    {"GET", "/api/v1/discussions/{id}/comments", comments_list},
    {"POST", "/api/v1/discussions/{id}/comments", comments_create},
    {"POST", "/api/v1/discussions/{id}/comments/{comment_id}/moderate", comments_moderate},
    {"POST", "/api/v1/discussions/{id}/report", discussions_report},
    /* the citizen's own participation (nginx sends these three here) */
    {"GET", "/api/v1/my/ballots", my_ballots},
    {"GET", "/api/v1/my/poll-responses", my_poll_responses},
    {"GET", "/api/v1/my/comments", my_comments},
    /* the territory tree for the portal's municipality picker (public, cached) */
    {"GET", "/api/v1/public/territories", territories_public},
};

int main(void)
{
    ok_module module = {
        .name = "voting",
        .routes = voting_routes,
        .route_count = sizeof(voting_routes) / sizeof(voting_routes[0]),
        .statements = voting_statements,
        .statement_count = voting_statement_count,
        .init = voting_init,
    };
    return ok_server_main(&module);
}
