/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The eligibility estimate (补贴测算). Every amount, the gradual-exit band and
 * months, and the minor age come from the policy data; the code holds only the
 * shape of each rule. Money is integer fen throughout, and per-capita
 * comparisons are cross-multiplied (income < S × persons) so no division
 * rounds a household across a boundary.
 */
#include "subsidy.h"

#include "error.h"
#include "policy.h"

#include <stdio.h>
#include <string.h>

/*
 * Definitions by law, not yearly figures: 老年人 are 60 and over (老年人权益保障法
 * art. 2); 重度残疾 is grade 1 or 2 (GB/T 26341). The 高龄 brackets are named
 * by the data's amount keys, so the key fixes the age it starts at.
 */
#define ELDERLY_AGE          60
#define SEVERE_GRADE_MAX     2
#define HOUSEHOLD_MAX        20
#define INCOME_MAX_FEN       1000000000LL
#define AGE_MAX              130
#define DISABILITY_GRADE_MAX 4

static const struct {
    int from_age;
    const char *key;
} GAOLING_BRACKETS[] = {{100, "AGE100"}, {90, "AGE90"}, {80, "AGE80"}}; /* highest first */

#define N_GAOLING_BRACKETS (sizeof GAOLING_BRACKETS / sizeof GAOLING_BRACKETS[0])

/* Names the first bad answer: "household_size: 21 outside 1..20". */
static int out_of_range(char *err, size_t errlen, const char *name, long long v, long long lo,
                        long long hi)
{
    if (err && errlen)
        snprintf(err, errlen, "%s: %lld outside %lld..%lld", name, v, lo, hi);
    return KS_E_RANGE;
}

int ks_answers_validate(const ks_answers_t *a, char *err, size_t errlen)
{
    if (err && errlen)
        err[0] = '\0';
    if (!a)
        return KS_E_INVAL;
    if ((int)a->area != KS_AREA_URBAN && (int)a->area != KS_AREA_RURAL)
        return out_of_range(err, errlen, "area", (int)a->area, KS_AREA_URBAN, KS_AREA_RURAL);
    if (a->household_size < 1 || a->household_size > HOUSEHOLD_MAX)
        return out_of_range(err, errlen, "household_size", a->household_size, 1, HOUSEHOLD_MAX);
    /* Zero is a real answer (no income at all: the 特困 rule needs it); negative is not. */
    if (a->income_fen < 0 || a->income_fen > INCOME_MAX_FEN)
        return out_of_range(err, errlen, "income_fen", a->income_fen, 0, INCOME_MAX_FEN);
    if (a->age < 0 || a->age > AGE_MAX)
        return out_of_range(err, errlen, "age", a->age, 0, AGE_MAX);
    if (a->disability_grade < 0 || a->disability_grade > DISABILITY_GRADE_MAX)
        return out_of_range(err, errlen, "disability_grade", a->disability_grade, 0,
                            DISABILITY_GRADE_MAX);
    if (a->can_work != 0 && a->can_work != 1)
        return out_of_range(err, errlen, "can_work", a->can_work, 0, 1);
    return KS_OK;
}

/* Appends an item (the caller never adds more than KS_ESTIMATE_MAX). */
static ks_estimate_item_t *add(ks_estimate_t *out, const char *code, const char *key, ks_fit_t fit,
                               long long monthly_fen, const char *why)
{
    if (out->n >= KS_ESTIMATE_MAX)
        return NULL;
    ks_estimate_item_t *it = &out->items[out->n++];
    snprintf(it->code, sizeof it->code, "%s", code);
    snprintf(it->key, sizeof it->key, "%s", key);
    it->fit = fit;
    it->monthly_fen = monthly_fen;
    it->months = 0;
    it->why = why;
    return it;
}

/*
 * 低保 by the gap method: with standard S and per-capita income P = income / n,
 *   P < S                       → YES, S × n − income a month;
 *   S ≤ P < S × permille / 1000 → GRADUAL for the configured months;
 *   otherwise                   → NO.
 * Boundaries: exactly 1.0× the standard is not *under* the standard, so it is in
 * the gradual band; exactly 1.5× is not *below* 1.5×, so it is outside it
 * (domain.md: "above the standard but below 1.5× it").
 */
static ks_fit_t estimate_dibao(const ks_api_policies_t *p, const ks_answers_t *a,
                               ks_estimate_t *out)
{
    const char *key = a->area == KS_AREA_RURAL ? "RURAL" : "URBAN";
    long long s = ks_policy_amount(p, "DIBAO", key);
    /* Validated: s ≤ 10^11 fen, permille ≤ 3000, so line × permille < 2^63. */
    long long line = s * a->household_size;
    long long permille = ks_policy_param(p, "DIBAO", "gradual_exit_permille", 1000);
    long long months = ks_policy_param(p, "DIBAO", "gradual_exit_months", 0);
    if (a->income_fen < line) {
        long long gap = line - a->income_fen;
        add(out, "DIBAO", key, KS_FIT_YES, gap > 0 ? gap : 0, "estimate.dibao_gap");
        return KS_FIT_YES;
    }
    if (a->income_fen * 1000 < line * permille) {
        ks_estimate_item_t *it =
            add(out, "DIBAO", key, KS_FIT_GRADUAL, -1, "estimate.dibao_gradual");
        if (it)
            it->months = (int)months;
        return KS_FIT_GRADUAL;
    }
    add(out, "DIBAO", key, KS_FIT_NO, 0, "estimate.dibao_over");
    return KS_FIT_NO;
}

/*
 * 特困: no work ability, no income, and old, severely disabled or a minor. Only
 * "may apply": the wizard does not ask about legal supporters (法定赡养抚养扶养义务人).
 */
static void estimate_tekun(const ks_api_policies_t *p, const ks_answers_t *a, long long minor_age,
                           ks_estimate_t *out)
{
    if (a->can_work) {
        add(out, "TEKUN", "", KS_FIT_NO, 0, "estimate.tekun_can_work");
    } else if (a->income_fen != 0) {
        add(out, "TEKUN", "", KS_FIT_NO, 0, "estimate.tekun_income");
    } else if (a->age >= ELDERLY_AGE ||
               (a->disability_grade >= 1 && a->disability_grade <= SEVERE_GRADE_MAX) ||
               a->age < minor_age) {
        add(out, "TEKUN", "TEKUN", KS_FIT_MAYBE, ks_policy_amount(p, "TEKUN", "TEKUN"),
            "estimate.tekun_maybe");
    } else {
        add(out, "TEKUN", "", KS_FIT_NO, 0, "estimate.tekun_group");
    }
}

/*
 * 孤儿 / 事实无人抚养儿童: any child may be one; whether the parents are dead or
 * missing is not asked, hence "may apply", at the scattered (散居) rate — an
 * institution (集中供养) pays its own children.
 */
static void estimate_guer(const ks_api_policies_t *p, const ks_answers_t *a, long long minor_age,
                          ks_estimate_t *out)
{
    if (a->age < minor_age)
        add(out, "GUER", "SANJU", KS_FIT_MAYBE, ks_policy_amount(p, "GUER", "SANJU"),
            "estimate.guer_maybe");
    else
        add(out, "GUER", "", KS_FIT_NO, 0, "estimate.guer_age");
}

/*
 * 残疾人两项补贴, one item per subsidy: 困难残疾人生活补贴 follows the household's
 * 低保; 重度残疾人护理补贴 needs grade 1–2 and long-term care (not asked: "may").
 */
static void estimate_canji(const ks_api_policies_t *p, const ks_answers_t *a, ks_fit_t dibao,
                           ks_estimate_t *out)
{
    if (a->disability_grade == 0) {
        add(out, "CANJI", "", KS_FIT_NO, 0, "estimate.canji_none");
        return;
    }
    long long shenghuo = ks_policy_amount(p, "CANJI", "SHENGHUO");
    if (dibao == KS_FIT_YES)
        add(out, "CANJI", "SHENGHUO", KS_FIT_YES, shenghuo, "estimate.canji_shenghuo");
    else if (dibao == KS_FIT_GRADUAL)
        add(out, "CANJI", "SHENGHUO", KS_FIT_MAYBE, shenghuo, "estimate.canji_shenghuo_gradual");
    else
        add(out, "CANJI", "SHENGHUO", KS_FIT_NO, 0, "estimate.canji_shenghuo_no_dibao");
    if (a->disability_grade <= SEVERE_GRADE_MAX)
        add(out, "CANJI", "HULI", KS_FIT_MAYBE, ks_policy_amount(p, "CANJI", "HULI"),
            "estimate.canji_huli_maybe");
    else
        add(out, "CANJI", "HULI", KS_FIT_NO, 0, "estimate.canji_huli_grade");
}

/* 高龄: the highest bracket the age reaches; its amount, or -1 when the data has none. */
static void estimate_gaoling(const ks_api_policies_t *p, const ks_answers_t *a, ks_estimate_t *out)
{
    for (size_t i = 0; i < N_GAOLING_BRACKETS; i++)
        if (a->age >= GAOLING_BRACKETS[i].from_age) {
            add(out, "GAOLING", GAOLING_BRACKETS[i].key, KS_FIT_YES,
                ks_policy_amount(p, "GAOLING", GAOLING_BRACKETS[i].key),
                "estimate.gaoling_bracket");
            return;
        }
    add(out, "GAOLING", "", KS_FIT_NO, 0, "estimate.gaoling_under");
}

int ks_estimate(const ks_api_policies_t *p, const ks_answers_t *a, ks_estimate_t *out)
{
    if (!p || !a || !out)
        return KS_E_INVAL;
    memset(out, 0, sizeof *out);
    if (ks_answers_validate(a, NULL, 0) < 0)
        return KS_E_RANGE;
    /* Cheap, and it keeps the arithmetic below within range whoever built p. */
    if (ks_policy_validate(p, NULL, 0) < 0)
        return KS_E_INVAL;
    long long minor_age = ks_policy_param(p, "TEKUN", "tekun_minor_age", 0);

    /* Programmes absent from the data are not explained on screen, so not estimated. */
    ks_fit_t dibao = estimate_dibao(p, a, out);
    if (ks_policy_find(p, "TEKUN"))
        estimate_tekun(p, a, minor_age, out);
    if (ks_policy_find(p, "GUER"))
        estimate_guer(p, a, minor_age, out);
    if (ks_policy_find(p, "CANJI"))
        estimate_canji(p, a, dibao, out);
    if (ks_policy_find(p, "GAOLING"))
        estimate_gaoling(p, a, out);
    if (ks_policy_find(p, "LINSHI"))
        add(out, "LINSHI", "", KS_FIT_MAYBE, -1, "estimate.linshi");
    return KS_OK;
}
