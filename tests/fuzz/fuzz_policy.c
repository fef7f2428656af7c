/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * libFuzzer target: the policy data loader (ks_policy_parse, the bytes of
 * ks_policy_load_file) and, on data it accepts, the eligibility estimate. The
 * file path must agree with the in-memory one; accepted data must give
 * estimates the screens can show: known codes and fits, amounts ≥ -1, the
 * gap method's arithmetic, at most KS_ESTIMATE_MAX items.
 */
#include "error.h"
#include "fuzz_common.h"
#include "policy.h"
#include "subsidy.h"

#include <stdlib.h>
#include <string.h>

static const ks_answers_t ANSWERS[] = {
    {KS_AREA_URBAN, 1, 0, 82, 1, 0},
    {KS_AREA_RURAL, 3, 150000, 40, 0, 1},
    {KS_AREA_URBAN, 20, 1000000000, 130, 4, 1},
    {KS_AREA_RURAL, 1, 0, 0, 2, 0},
    {KS_AREA_URBAN, 2, 0, 17, 3, 0},
};

static void check_item(const ks_estimate_item_t *it)
{
    static const char *const codes[] = {"DIBAO", "TEKUN", "GUER", "CANJI", "GAOLING", "LINSHI"};
    int known = 0;
    for (size_t i = 0; i < sizeof codes / sizeof codes[0]; i++)
        known |= strcmp(it->code, codes[i]) == 0;
    if (!known || it->fit < KS_FIT_NO || it->fit > KS_FIT_GRADUAL || it->monthly_fen < -1 ||
        !it->why || strncmp(it->why, "estimate.", 9) != 0)
        __builtin_trap();
    if (it->fit == KS_FIT_NO && it->monthly_fen != 0)
        __builtin_trap();
    if ((it->fit == KS_FIT_GRADUAL) != (it->months > 0) ||
        (it->fit == KS_FIT_GRADUAL && strcmp(it->code, "DIBAO") != 0))
        __builtin_trap();
}

static void check_estimates(const ks_api_policies_t *p)
{
    long long permille = ks_policy_param(p, "DIBAO", "gradual_exit_permille", -1);
    for (size_t i = 0; i < sizeof ANSWERS / sizeof ANSWERS[0]; i++) {
        ks_answers_t a = ANSWERS[i];
        ks_estimate_t e;
        if (ks_estimate(p, &a, &e) != KS_OK || e.n < 2 || e.n > KS_ESTIMATE_MAX)
            __builtin_trap();
        for (int k = 0; k < e.n; k++)
            check_item(&e.items[k]);
        const ks_estimate_item_t *d = &e.items[0];
        long long line = ks_policy_amount(p, "DIBAO", a.area == KS_AREA_URBAN ? "URBAN" : "RURAL") *
                         a.household_size;
        if (strcmp(d->code, "DIBAO") != 0 || strcmp(e.items[1].code, "TEKUN") != 0)
            __builtin_trap();
        if ((d->fit == KS_FIT_YES) != (a.income_fen < line) ||
            (d->fit == KS_FIT_YES && d->monthly_fen != line - a.income_fen))
            __builtin_trap();
        /* Exactly 1.0× the standard: in the band when there is one. */
        a.income_fen = line;
        if (line <= 1000000000 && ks_estimate(p, &a, &e) == KS_OK &&
            e.items[0].fit != (permille > 1000 ? KS_FIT_GRADUAL : KS_FIT_NO))
            __builtin_trap();
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    /* An exact-size copy, not NUL-terminated: the parser must respect the length. */
    char *buf = malloc(size ? size : 1);
    ks_api_policies_t *p = malloc(sizeof *p);
    ks_api_policies_t *q = malloc(sizeof *q);
    if (!buf || !p || !q)
        goto out;
    memcpy(buf, data, size);
    char err[300] = "";
    int rc = ks_policy_parse(buf, size, p, err, sizeof err);
    if (strlen(err) >= sizeof err || (rc < 0) != (err[0] != '\0'))
        __builtin_trap();
    if (rc == KS_OK) {
        if (ks_policy_validate(p, err, sizeof err) != KS_OK || p->n < 2 ||
            p->n > KS_API_MAX_PROGRAMMES)
            __builtin_trap();
        check_estimates(p);
    }
    /* The file loader reads the same bytes and reaches the same verdict and data. */
    char path[64];
    int fd = size <= 256 * 1024 ? ks_fuzz_memfile(data, size, path, sizeof path) : -1; /* cap */
    if (fd >= 0) {
        int rc2 = ks_policy_load_file(path, q, err, sizeof err);
        close(fd);
        if ((rc == KS_OK) != (rc2 == KS_OK) || (rc == KS_OK && memcmp(p, q, sizeof *p) != 0))
            __builtin_trap();
        if (rc2 < 0 && strncmp(err, path, strlen(path)) != 0)
            __builtin_trap();
    }
out:
    free(q);
    free(p);
    free(buf);
    return 0;
}
