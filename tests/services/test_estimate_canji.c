/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * 残疾人两项补贴: one item per subsidy. 生活补贴 (SHENGHUO) follows the
 * household's 低保 result; 护理补贴 (HULI) "may apply" at grade 1–2 (long-term
 * care is not asked). No disability: a single NO item.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "policy_fixture.h"

#define DIBAO_YES     30000  /* income of one urban person under 62000 */
#define DIBAO_GRADUAL 70000  /* between 1.0× and 1.5× */
#define DIBAO_NO      200000 /* over 1.5× */

typedef struct {
    int grade;
    long long income_fen;
    ks_fit_t shenghuo;
    long long shenghuo_fen;
    const char *shenghuo_why;
    ks_fit_t huli;
    long long huli_fen;
} canji_case_t;

static const canji_case_t CASES[] = {
    {1, DIBAO_YES, KS_FIT_YES, 8000, "estimate.canji_shenghuo", KS_FIT_MAYBE, 9000},
    {2, DIBAO_YES, KS_FIT_YES, 8000, "estimate.canji_shenghuo", KS_FIT_MAYBE, 9000},
    {3, DIBAO_YES, KS_FIT_YES, 8000, "estimate.canji_shenghuo", KS_FIT_NO, 0},
    {4, DIBAO_YES, KS_FIT_YES, 8000, "estimate.canji_shenghuo", KS_FIT_NO, 0},
    {2, DIBAO_GRADUAL, KS_FIT_MAYBE, 8000, "estimate.canji_shenghuo_gradual", KS_FIT_MAYBE, 9000},
    {4, DIBAO_GRADUAL, KS_FIT_MAYBE, 8000, "estimate.canji_shenghuo_gradual", KS_FIT_NO, 0},
    {1, DIBAO_NO, KS_FIT_NO, 0, "estimate.canji_shenghuo_no_dibao", KS_FIT_MAYBE, 9000},
    {3, DIBAO_NO, KS_FIT_NO, 0, "estimate.canji_shenghuo_no_dibao", KS_FIT_NO, 0},
};

static void test_canji_table(void **state)
{
    (void)state;
    ks_api_policies_t *p = fixture_demo_policies();
    for (size_t i = 0; i < sizeof CASES / sizeof CASES[0]; i++) {
        const canji_case_t *c = &CASES[i];
        ks_answers_t a = fixture_answers();
        a.disability_grade = c->grade;
        a.income_fen = c->income_fen;
        ks_estimate_t e;
        const ks_estimate_item_t *s = fixture_estimate(p, &a, &e, "CANJI", "SHENGHUO");
        const ks_estimate_item_t *h = fixture_item(&e, "CANJI", "HULI");
        assert_non_null(h);
        if (s->fit != c->shenghuo || s->monthly_fen != c->shenghuo_fen ||
            strcmp(s->why, c->shenghuo_why) != 0 || h->fit != c->huli ||
            h->monthly_fen != c->huli_fen)
            fail_msg("case %zu (grade %d income %lld): SHENGHUO %d %lld %s, HULI %d %lld", i,
                     c->grade, c->income_fen, s->fit, s->monthly_fen, s->why, h->fit,
                     h->monthly_fen);
        assert_string_equal(h->why, c->huli == KS_FIT_MAYBE ? "estimate.canji_huli_maybe"
                                                            : "estimate.canji_huli_grade");
        /* SHENGHUO directly before HULI. */
        assert_ptr_equal(s + 1, h);
    }
    free(p);
}

static void test_canji_none(void **state)
{
    (void)state;
    ks_api_policies_t *p = fixture_demo_policies();
    ks_answers_t a = fixture_answers();
    a.income_fen = 0;
    ks_estimate_t e;
    const ks_estimate_item_t *it = fixture_estimate(p, &a, &e, "CANJI", NULL);
    assert_int_equal(it->fit, KS_FIT_NO);
    assert_string_equal(it->key, "");
    assert_string_equal(it->why, "estimate.canji_none");
    int n = 0;
    for (int i = 0; i < e.n; i++)
        n += strcmp(e.items[i].code, "CANJI") == 0;
    assert_int_equal(n, 1);
    free(p);
}

/* Figures absent from the data (as in the bundled fallback): -1, never a guess. */
static void test_canji_without_figures(void **state)
{
    (void)state;
    fixture_figures_t f = fixture_demo();
    f.shenghuo = -1;
    f.huli = -1;
    ks_api_policies_t *p = fixture_policies(&f);
    ks_answers_t a = fixture_answers();
    a.disability_grade = 1;
    a.income_fen = DIBAO_YES;
    ks_estimate_t e;
    const ks_estimate_item_t *s = fixture_estimate(p, &a, &e, "CANJI", "SHENGHUO");
    assert_int_equal(s->fit, KS_FIT_YES);
    assert_int_equal(s->monthly_fen, -1);
    const ks_estimate_item_t *h = fixture_item(&e, "CANJI", "HULI");
    assert_non_null(h);
    assert_int_equal(h->fit, KS_FIT_MAYBE);
    assert_int_equal(h->monthly_fen, -1);
    free(p);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_canji_table),
        cmocka_unit_test(test_canji_none),
        cmocka_unit_test(test_canji_without_figures),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
