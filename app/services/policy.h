/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Subsidy policy data: the programmes, figures, effective dates and sources the
 * consultation screens show and the estimate uses. It comes from the backend
 * (GET /policies, cached on disk by the client), else from the bundled, dated
 * fallback (config/policies-fallback.json, the 2020 figures of the district
 * plan). The file format is the /policies answer (docs/backend-api.md).
 * Plain C, no SDL.
 */
#ifndef KS_POLICY_H
#define KS_POLICY_H

#include "api.h"

#include <stddef.h>

typedef enum {
    KS_POLICY_FROM_BACKEND = 0, /* fresh from GET /policies */
    KS_POLICY_FROM_CACHE,       /* the last good copy (backend unreachable or 304) */
    KS_POLICY_FROM_FALLBACK,    /* the bundled file: labelled with its date on screen */
} ks_policy_origin_t;

/*
 * Checks what the parser cannot: the programmes the kiosk explains are there
 * (DIBAO with URBAN and RURAL amounts, TEKUN with TEKUN, each above 0), no code
 * twice, no amount key or parameter twice in a programme, and the parameters
 * the estimate needs present and in range (DIBAO: gradual_exit_permille
 * 1000..3000, gradual_exit_months 1..24; TEKUN: tekun_minor_age 14..22).
 * 0, or KS_E_PARSE with the reason in err (KS_E_INVAL for NULL).
 */
int ks_policy_validate(const ks_api_policies_t *p, char *err, size_t errlen);

/*
 * Parses (ks_api_parse) and validates a policy document of len bytes (need not
 * be NUL-terminated). 0, or a negative code with the reason in err; on error
 * *out is cleared. ks_policy_load_file is this on a file's contents.
 */
int ks_policy_parse(const char *buf, size_t len, ks_api_policies_t *out, char *err, size_t errlen);

/*
 * Reads and validates a policy file (the fallback, or a copy). 0, or a
 * negative code with "path: reason" in err (missing file, not JSON, a bad
 * field, a failed check); on error *out is cleared. Files over 256 KiB are refused.
 */
int ks_policy_load_file(const char *path, ks_api_policies_t *out, char *err, size_t errlen);

/* The programme with this code, or NULL. */
const ks_api_policy_t *ks_policy_find(const ks_api_policies_t *p, const char *code);

/* The amount `key` of programme `code` in fen, or -1 when the data has no such figure. */
long long ks_policy_amount(const ks_api_policies_t *p, const char *code, const char *key);

/* The parameter `name` of programme `code`, or `dflt` when absent. */
long long ks_policy_param(const ks_api_policies_t *p, const char *code, const char *name,
                          long long dflt);

#endif
