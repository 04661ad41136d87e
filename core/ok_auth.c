/*
 * ok_auth.c - bearer tokens on requests; see ok_auth.h and ok_token.h.
 */
#include "ok_auth.h"
#include "ok_config.h"
#include "ok_problem.h"
#include "ok_token.h"

#include <strings.h>

int ok_auth_require_user(ok_request *req)
{
    const char *header = ok_http_param(req, "HTTP_AUTHORIZATION");
    const char *detail = "Log in first: this action needs a bearer token.";
    if (header != NULL && strncasecmp(header, "Bearer ", 7) == 0) {
        const char *token = header + 7;
        while (*token == ' ')
            token++;
        ok_token_claims claims;
        const ok_config *c = &ok_config_global;
        ok_token_result result = ok_token_verify(c->token_key, c->token_key_length, c->token_issuer,
                                                 token, ok_config_now(), &claims);
        if (result == OK_TOKEN_VALID) {
            req->user = ok_arena_calloc(req->arena, 1, sizeof(*req->user));
            req->user->id = claims.user_id;
            return 0;
        }
        detail = ok_token_result_text(result);
    }
    ok_problem(req, 401, detail);
    ok_http_header(req, "WWW-Authenticate", "Bearer realm=\"otklik\"");
    return -1;
}
