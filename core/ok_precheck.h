/*
 * ok_precheck.h - automatic pre-checks of citizens' texts (messages, comments).
 *
 * They flag, never drop: each flag is {"code": N, "rule": "..."}, N being the
 * rejection reason a moderator would likely use (SPEC, "Rejection reason
 * codes"). The rules that need only the text live here; the near-duplicate
 * rule (code 9) needs the author's history and is run in SQL by the caller.
 *
 * Rules: obscene (1), link (5), email / phone / passport / snils (4),
 * too_short / non_letters (7).
 *
 * Every rule is a hand-written scanner whose cost is linear in the text's
 * length, whatever the text holds: the texts come from anyone, and a check
 * that could take seconds on a hostile 5,000-character message would let a
 * few requests occupy a worker (see ok_precheck.c).
 */
#ifndef OK_PRECHECK_H
#define OK_PRECHECK_H

#include <jansson.h>

/* Call once in main before threads start: sets LC_CTYPE to C.UTF-8 (texts are
 * UTF-8; letters are those of that locale). Returns 0, or -1 without that locale. */
int ok_precheck_init(void);

/* Returns a new array of flags for a UTF-8 text (NULL is the empty text); an
 * invalid byte counts as a character that is neither a letter nor a digit. */
json_t *ok_precheck_text(const char *text);

/* Appends {code, rule} to flags unless the rule is already there. */
void ok_precheck_flag(json_t *flags, int code, const char *rule);

#endif
