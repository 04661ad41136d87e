/*
 * fuzz_precheck.c - libFuzzer harness of the text pre-checks (ok_precheck_text):
 * the input is a citizen's text, cut at its first NUL byte like a C string and
 * at the longest a message may take in bytes (5,000 characters of 4 bytes).
 *
 * Beyond crashes it checks that the flags are well formed: known rules with
 * their codes, each rule once. Slowness is the other defect sought (each rule
 * must be linear in the text's length, issue #12): libFuzzer's -timeout counts
 * whole seconds, so the harness itself fails on a text that takes more than
 * FUZZ_PRECHECK_MAX_CPU_MS of CPU. The linear scanners take about 1 ms on the
 * longest text in this build; the regular expressions they replaced took from
 * 0.2 to 1.4 s on 5,000 characters of one letter or syllable repeated.
 * fuzz_precheck.options sets -max_len=20000 and -len_control=0, so long texts
 * are tried from the start.
 */
#include "ok_precheck.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define FUZZ_PRECHECK_MAX_BYTES (5000 * 4)
#define FUZZ_PRECHECK_MAX_CPU_MS 100

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const struct {
    int code;
    const char *rule;
} fuzz_precheck_rules[] = {
    {4, "email"},    {5, "link"},    {4, "phone"},     {4, "snils"},
    {4, "passport"}, {1, "obscene"}, {7, "too_short"}, {7, "non_letters"},
};

#define FUZZ_PRECHECK_RULE_COUNT (sizeof(fuzz_precheck_rules) / sizeof(fuzz_precheck_rules[0]))

/* Returns the index of flag's rule in fuzz_precheck_rules if its code is that
 * rule's, or -1. */
static int fuzz_precheck_known(const json_t *flag)
{
    const char *rule = json_string_value(json_object_get(flag, "rule"));
    const json_t *code = json_object_get(flag, "code");
    for (size_t i = 0; rule != NULL && i < FUZZ_PRECHECK_RULE_COUNT; i++)
        if (strcmp(rule, fuzz_precheck_rules[i].rule) == 0)
            return json_integer_value(code) == fuzz_precheck_rules[i].code ? (int)i : -1;
    return -1;
}

static void fuzz_precheck_check(const char *text, const json_t *flags)
{
    int seen[FUZZ_PRECHECK_RULE_COUNT] = {0};
    size_t i;
    const json_t *flag;
    int well_formed = json_is_array(flags);
    json_array_foreach(flags, i, flag)
    {
        int rule = fuzz_precheck_known(flag);
        well_formed &= json_object_size(flag) == 2 && rule >= 0 && !seen[rule];
        if (rule >= 0)
            seen[rule] = 1;
    }
    if (!well_formed || seen[6] + seen[7] > 1) {
        char *dump = json_dumps(flags, JSON_COMPACT);
        fprintf(stderr, "fuzz_precheck: %zu-byte text gave %s\n", strlen(text), dump);
        abort();
    }
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    if (ok_precheck_init() != 0)
        abort();
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size > FUZZ_PRECHECK_MAX_BYTES)
        size = FUZZ_PRECHECK_MAX_BYTES;
    char *text = malloc(size + 1);
    if (text == NULL)
        abort();
    memcpy(text, data, size);
    text[size] = '\0';
    clock_t start = clock();
    json_t *flags = ok_precheck_text(text);
    double cpu_ms = (double)(clock() - start) * 1000.0 / CLOCKS_PER_SEC;
    if (cpu_ms > FUZZ_PRECHECK_MAX_CPU_MS) {
        fprintf(stderr, "fuzz_precheck: %zu-byte text took %.0f ms of CPU\n", size, cpu_ms);
        abort();
    }
    fuzz_precheck_check(text, flags);
    json_decref(flags);
    free(text);
    return 0;
}
