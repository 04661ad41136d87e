/*
 * channels.h - the channels worker: webhooks of the social networks and of
 * monitoring systems (incidents in), the moderators' incident queue, and the
 * organisations' official accounts (госпаблики) with their content plan.
 * Everything sent out goes through the deliveries outbox (sql/070), which
 * tools/notifier delivers.
 */
#ifndef CHANNELS_H
#define CHANNELS_H

#include "ok_db.h"
#include "ok_http.h"

#include <jansson.h>

#include <stddef.h>

extern const ok_db_statement channels_statements[];
extern const size_t channels_statement_count;

/* main.c: settings read once */
typedef struct channels_settings {
    const char *secrets_dir;  /* OTKLIK_CHANNELS_SECRETS_DIR: <network>-<account>.secret */
    char monitoring_key[256]; /* OTKLIK_MONITORING_SECRET_FILE's content; "" when unset */
} channels_settings;
extern channels_settings channels_config;

/* hooks.c */
void hooks_vk(ok_request *req);
void hooks_telegram(ok_request *req);
void hooks_monitoring(ok_request *req);

/* incidents.c */
void incidents_list(ok_request *req);
void incidents_accept(ok_request *req);
void incidents_dismiss(ok_request *req);

/* accounts.c */
void accounts_list(ok_request *req);
void accounts_create(ok_request *req);
void posts_list(ok_request *req);
void posts_create(ok_request *req);
void posts_approve(ok_request *req);

/* intake.c */
void intake_create(ok_request *req);
void intake_unsubscribe_page_show(ok_request *req);
void intake_unsubscribe(ok_request *req);

/* A found post, as hooks.c hands it to the incident queue; NULL: unknown. */
typedef struct channels_post {
    const char *source;
    const char *external_id;
    const char *channel; /* vk, telegram, monitoring */
    const char *account_id;
    const char *kind;
    const char *url;
    const char *author_external_id;
    const char *author_name;
    const char *text;
    const char *published_at; /* RFC 3339 */
    const char *latitude, *longitude;
    json_t *reply_to; /* {method, params, text_param}: how to answer; NULL: cannot */
} channels_post;

/* Stores post as an incident unless (source, external_id) is known; 0, or -1
 * having answered (503). */
int channels_incident_store_or_reply(ok_request *req, const channels_post *post);

#endif
