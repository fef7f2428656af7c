/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The eligibility estimate (补贴测算): from a few answers and the policy data,
 * which programmes may apply and an estimated monthly amount. Table-driven by
 * the data (standards, brackets, the gradual-exit factor and months, the
 * minor age limit); never a constant figure in code. The result is an
 * estimate only: every screen that shows it says 结果仅供参考，以镇街审核为准.
 * Plain C, no SDL.
 */
#ifndef KS_SUBSIDY_H
#define KS_SUBSIDY_H

#include "api.h"

typedef enum { KS_AREA_URBAN = 0, KS_AREA_RURAL = 1 } ks_area_t;

/* The wizard's answers. */
typedef struct {
    ks_area_t area;       /* household registration: urban or rural */
    int household_size;   /* persons, 1..20 */
    long long income_fen; /* the household's total monthly income, >= 0 */
    int age;              /* of the person asking, 0..130 */
    int disability_grade; /* 0 = none, 1..4 (一级 is the most severe) */
    int can_work;         /* 1: able to work, 0: not */
} ks_answers_t;

/* Checks the answers. 0, or KS_E_RANGE naming the bad answer in err. */
int ks_answers_validate(const ks_answers_t *a, char *err, size_t errlen);

typedef enum {
    KS_FIT_NO = 0,  /* does not apply on these answers */
    KS_FIT_MAYBE,   /* may apply: depends on facts the wizard does not ask */
    KS_FIT_YES,     /* applies on these answers (still subject to the town's review) */
    KS_FIT_GRADUAL, /* 低保 only: above the standard but within the gradual-exit band */
} ks_fit_t;

typedef struct {
    char code[24]; /* the policy code: DIBAO, TEKUN, LINSHI, CANJI, GAOLING, GUER */
    char key[16];  /* the amounts key the estimate used (URBAN, AGE90...), or "" */
    ks_fit_t fit;
    long long monthly_fen; /* estimated monthly amount; -1 when the data has no figure */
    int months;            /* KS_FIT_GRADUAL: how many more months (from the data), else 0 */
    const char *why;       /* catalogue key of the plain-words reason ("estimate.dibao_gap") */
} ks_estimate_item_t;

#define KS_ESTIMATE_MAX 12

typedef struct {
    int n;
    ks_estimate_item_t items[KS_ESTIMATE_MAX];
} ks_estimate_t;

/*
 * Estimates for `a` with the policy data `p` (validated by ks_policy_validate).
 * Items in the order DIBAO, TEKUN, GUER, CANJI (SHENGHUO, HULI), GAOLING, LINSHI;
 * a programme absent from the data gets no item. Returns 0, or KS_E_RANGE for
 * invalid answers, KS_E_INVAL for NULL or data that fails ks_policy_validate
 * (out->n is 0: nothing estimated).
 */
int ks_estimate(const ks_api_policies_t *p, const ks_answers_t *a, ks_estimate_t *out);

#endif
