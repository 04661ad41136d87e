/*
 * ok_i18n.h - the caller's language and the words of the platform's answers in it.
 *
 * Problems are written in English in the code (the English sentence is the
 * key, as with gettext's msgid) and answered in the caller's language: Russian
 * by default, English when Accept-Language ranks it above Russian. The
 * Russian words live in one catalogue, core/ok_messages.c; a source rule
 * (tests/static/messages.test.mjs) checks that every sentence the code can
 * answer has its translation there, with the same printf conversions.
 */
#ifndef OK_I18N_H
#define OK_I18N_H

#include "ok_http.h"

/* "ru" or "en", from the request's Accept-Language (read once, kept on req). */
const char *ok_i18n_language(ok_request *req);

/* The language an Accept-Language value asks for: of Russian and English the
 * one with the higher q (the earlier on a tie); "ru" when it names neither,
 * or is NULL or malformed. Linear in the value's length. */
const char *ok_i18n_choose(const char *accept_language);

/* printf of an English format of the catalogue in the caller's language, into
 * the request's arena (the translation keeps the format's conversions). */
const char *ok_i18n_printf(ok_request *req, const char *format, ...)
    __attribute__((format(printf, 2, 3)));

/* ok_i18n_printf with a va_list (left for the caller's va_end). */
const char *ok_i18n_vprintf(ok_request *req, const char *format, va_list ap)
    __attribute__((format(printf, 2, 0)));

/* english in the language lang: the catalogue's translation, or english itself
 * when lang is "en" or the catalogue has none. */
const char *ok_i18n_text(const char *lang, const char *english);

/* One entry of the catalogue (core/ok_messages.c). */
typedef struct ok_message {
    const char *en;
    const char *ru;
} ok_message;
extern const ok_message ok_messages[];
extern const size_t ok_messages_count;

#endif
