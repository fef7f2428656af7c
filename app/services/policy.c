/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Subsidy policy data: loading (file → ks_api_parse → checks) and lookups.
 * The JSON itself is parsed by the backend contract's strict parser
 * (app/backend/api.c); this file adds what a parser cannot know: which
 * programmes and figures the estimate relies on, and sane parameter ranges.
 */
#include "policy.h"

#include "error.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Larger than any real answer (the demo data is ~6 KiB), small enough to read at once. */
#define KS_POLICY_MAX_BYTES (256 * 1024)
/* As the parser's cap on amounts (10^9 yuan): keeps the estimate's arithmetic in range. */
#define KS_POLICY_MAX_FEN 100000000000LL

/* A parameter the estimate reads, its allowed range, and the programme that must carry it. */
typedef struct {
    const char *name;
    long long min, max;
    const char *required_in; /* programme code */
} param_rule_t;

static const param_rule_t PARAM_RULES[] = {
    {"gradual_exit_permille", 1000, 3000, "DIBAO"},
    {"gradual_exit_months", 1, 24, "DIBAO"},
    {"tekun_minor_age", 14, 22, "TEKUN"},
};

#define N_PARAM_RULES (sizeof PARAM_RULES / sizeof PARAM_RULES[0])

/* Writes the reason into err (which may be NULL). */
static void say(char *err, size_t errlen, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void say(char *err, size_t errlen, const char *fmt, ...)
{
    if (err && errlen) {
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(err, errlen, fmt, ap);
        va_end(ap);
    }
}

/* A failed check: the reason, and KS_E_PARSE. */
#define bad(err, errlen, ...) (say(err, errlen, __VA_ARGS__), KS_E_PARSE)

static const ks_api_amount_t *find_amount(const ks_api_policy_t *pol, const char *key)
{
    for (int i = 0; i < pol->n_amounts; i++)
        if (strcmp(pol->amounts[i].key, key) == 0)
            return &pol->amounts[i];
    return NULL;
}

static int find_param(const ks_api_policy_t *pol, const char *name, long long *value)
{
    if (!pol)
        return 0;
    for (int i = 0; i < pol->n_params; i++)
        if (strcmp(pol->params[i].name, name) == 0) {
            *value = pol->params[i].value;
            return 1;
        }
    return 0;
}

/* One programme on its own: counts in bounds, no empty or repeated keys, known params in range. */
static int check_programme(const ks_api_policy_t *pol, int idx, char *err, size_t errlen)
{
    if (pol->code[0] == '\0')
        return bad(err, errlen, "programmes[%d]: empty code", idx);
    if (pol->n_amounts < 0 || pol->n_amounts > KS_API_MAX_AMOUNTS || pol->n_params < 0 ||
        pol->n_params > KS_API_MAX_PARAMS || pol->n_documents < 0 ||
        pol->n_documents > KS_API_MAX_DOCS)
        return bad(err, errlen, "%s: too many amounts, params or documents", pol->code);
    for (int i = 0; i < pol->n_amounts; i++) {
        if (pol->amounts[i].key[0] == '\0')
            return bad(err, errlen, "%s: amounts[%d] has an empty key", pol->code, i);
        if (pol->amounts[i].amount_fen < 0 || pol->amounts[i].amount_fen > KS_POLICY_MAX_FEN)
            return bad(err, errlen, "%s: amount %s is %lld, outside 0..%lld", pol->code,
                       pol->amounts[i].key, pol->amounts[i].amount_fen, KS_POLICY_MAX_FEN);
        for (int j = 0; j < i; j++)
            if (strcmp(pol->amounts[i].key, pol->amounts[j].key) == 0)
                return bad(err, errlen, "%s: amount %s given twice", pol->code,
                           pol->amounts[i].key);
    }
    for (int i = 0; i < pol->n_params; i++) {
        for (int j = 0; j < i; j++)
            if (strcmp(pol->params[i].name, pol->params[j].name) == 0)
                return bad(err, errlen, "%s: parameter %s given twice", pol->code,
                           pol->params[i].name);
        for (size_t r = 0; r < N_PARAM_RULES; r++) {
            const param_rule_t *rule = &PARAM_RULES[r];
            long long v = pol->params[i].value;
            if (strcmp(pol->params[i].name, rule->name) == 0 && (v < rule->min || v > rule->max))
                return bad(err, errlen, "%s: parameter %s is %lld, outside %lld..%lld", pol->code,
                           rule->name, v, rule->min, rule->max);
        }
    }
    return KS_OK;
}

/* A figure the estimate cannot do without: present and above zero. */
static int need_amount(const ks_api_policies_t *p, const char *code, const char *key, char *err,
                       size_t errlen)
{
    const ks_api_policy_t *pol = ks_policy_find(p, code);
    if (!pol)
        return bad(err, errlen, "programme %s missing", code);
    const ks_api_amount_t *a = find_amount(pol, key);
    if (!a)
        return bad(err, errlen, "%s: amount %s missing", code, key);
    if (a->amount_fen <= 0)
        return bad(err, errlen, "%s: amount %s must be above 0", code, key);
    return KS_OK;
}

int ks_policy_validate(const ks_api_policies_t *p, char *err, size_t errlen)
{
    if (err && errlen)
        err[0] = '\0';
    if (!p)
        return KS_E_INVAL;
    if (p->n < 0 || p->n > KS_API_MAX_PROGRAMMES)
        return bad(err, errlen, "programme count %d outside 0..%d", p->n, KS_API_MAX_PROGRAMMES);
    for (int i = 0; i < p->n; i++) {
        int rc = check_programme(&p->programmes[i], i, err, errlen);
        if (rc < 0)
            return rc;
        for (int j = 0; j < i; j++)
            if (strcmp(p->programmes[i].code, p->programmes[j].code) == 0)
                return bad(err, errlen, "programmes[%d]: code %s given twice", i,
                           p->programmes[i].code);
    }
    int rc = need_amount(p, "DIBAO", "URBAN", err, errlen);
    if (rc == 0)
        rc = need_amount(p, "DIBAO", "RURAL", err, errlen);
    if (rc == 0)
        rc = need_amount(p, "TEKUN", "TEKUN", err, errlen);
    if (rc < 0)
        return rc;
    /*
     * The estimate's rules need these parameters: without them it would have to
     * invent the gradual-exit band or the minor age, so the data is refused
     * (and the caller falls back to a dated copy that has them).
     */
    for (size_t r = 0; r < N_PARAM_RULES; r++) {
        long long v;
        if (!find_param(ks_policy_find(p, PARAM_RULES[r].required_in), PARAM_RULES[r].name, &v))
            return bad(err, errlen, "%s: parameter %s missing", PARAM_RULES[r].required_in,
                       PARAM_RULES[r].name);
    }
    return KS_OK;
}

int ks_policy_parse(const char *buf, size_t len, ks_api_policies_t *out, char *err, size_t errlen)
{
    if (err && errlen)
        err[0] = '\0';
    if (!buf || !out)
        return KS_E_INVAL;
    int rc = ks_api_parse(KS_CALL_POLICIES, buf, len, out, err, errlen);
    if (rc == 0)
        rc = ks_policy_validate(out, err, errlen);
    if (rc < 0)
        memset(out, 0, sizeof *out);
    return rc;
}

/* Prefixes err with "path: " (the reason is already in err). */
static void prefix_path(const char *path, char *err, size_t errlen)
{
    if (!err || !errlen)
        return;
    char reason[512];
    snprintf(reason, sizeof reason, "%s", err);
    snprintf(err, errlen, "%s: %s", path, reason);
}

int ks_policy_load_file(const char *path, ks_api_policies_t *out, char *err, size_t errlen)
{
    if (err && errlen)
        err[0] = '\0';
    if (!path || !out)
        return KS_E_INVAL;
    memset(out, 0, sizeof *out);
    FILE *f = fopen(path, "rbe");
    if (!f) {
        int e = errno;
        say(err, errlen, "%s: cannot open: %s", path, strerror(e));
        return e == ENOENT ? KS_E_NOTFOUND : KS_E_IO;
    }
    char *buf = malloc(KS_POLICY_MAX_BYTES + 1);
    if (!buf) {
        fclose(f);
        say(err, errlen, "%s: out of memory", path);
        return KS_E_NOMEM;
    }
    size_t n = fread(buf, 1, KS_POLICY_MAX_BYTES + 1, f);
    int failed = ferror(f);
    fclose(f);
    int rc;
    if (failed) {
        say(err, errlen, "%s: read error", path);
        rc = KS_E_IO;
    } else if (n > KS_POLICY_MAX_BYTES) {
        say(err, errlen, "%s: larger than %d bytes", path, KS_POLICY_MAX_BYTES);
        rc = KS_E_TOOBIG;
    } else if (n == 0) {
        say(err, errlen, "%s: empty file", path);
        rc = KS_E_PARSE;
    } else {
        rc = ks_policy_parse(buf, n, out, err, errlen);
        if (rc < 0)
            prefix_path(path, err, errlen);
    }
    free(buf);
    return rc;
}

const ks_api_policy_t *ks_policy_find(const ks_api_policies_t *p, const char *code)
{
    if (!p || !code || p->n < 0)
        return NULL;
    int n = p->n < KS_API_MAX_PROGRAMMES ? p->n : KS_API_MAX_PROGRAMMES;
    for (int i = 0; i < n; i++)
        if (strcmp(p->programmes[i].code, code) == 0)
            return &p->programmes[i];
    return NULL;
}

long long ks_policy_amount(const ks_api_policies_t *p, const char *code, const char *key)
{
    const ks_api_policy_t *pol = ks_policy_find(p, code);
    if (!pol || !key || pol->n_amounts < 0 || pol->n_amounts > KS_API_MAX_AMOUNTS)
        return -1;
    const ks_api_amount_t *a = find_amount(pol, key);
    return a && a->amount_fen >= 0 ? a->amount_fen : -1;
}

long long ks_policy_param(const ks_api_policies_t *p, const char *code, const char *name,
                          long long dflt)
{
    const ks_api_policy_t *pol = ks_policy_find(p, code);
    long long v;
    if (!pol || !name || pol->n_params < 0 || pol->n_params > KS_API_MAX_PARAMS)
        return dflt;
    return find_param(pol, name, &v) ? v : dflt;
}
