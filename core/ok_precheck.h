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
 */
#ifndef OK_PRECHECK_H
#define OK_PRECHECK_H

#include <jansson.h>

/* Compiles the rules; call once in main before threads start. Sets LC_CTYPE to
 * C.UTF-8 (texts are UTF-8). Returns 0, or -1 if a rule does not compile. */
int ok_precheck_init(void);

/* Returns a new array of flags for a UTF-8 text. */
json_t *ok_precheck_text(const char *text);

/* Appends {code, rule} to flags unless the rule is already there. */
void ok_precheck_flag(json_t *flags, int code, const char *rule);

#endif
