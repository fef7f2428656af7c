/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Personal data in the flow: after ks_booking_flow_wipe no byte of an ID
 * number, name, phone or backend token is left — the struct is scanned byte
 * by byte, at every step — and going back to the cards (back from CHECKS,
 * the second card's timeout) wipes the parties already held while the flow
 * goes on.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "marriage_fixture.h"

/* 1 when `needle` (n ≥ 4 bytes) appears anywhere in the n bytes at `hay`. */
static int contains(const void *hay, size_t len, const void *needle, size_t n)
{
    const unsigned char *h = hay;
    for (size_t i = 0; i + n <= len; i++)
        if (memcmp(h + i, needle, n) == 0)
            return 1;
    return 0;
}

/* Fails when any 6-byte run of a personal value of either fixture party is in f. */
static void assert_no_personal(const ks_booking_flow_t *f, const char *where)
{
    ks_party_t a = fx_party(19900501, KS_SEX_MALE, 1, "张三");
    ks_party_t b = fx_party(19920715, KS_SEX_FEMALE, 2, "李四");
    const char *values[] = {a.idnum,    b.idnum,    a.name,     b.name,
                            FX_PHONE_A, FX_PHONE_B, FX_TOKEN_A, FX_TOKEN_B};
    for (size_t v = 0; v < sizeof values / sizeof values[0]; v++) {
        size_t len = strlen(values[v]);
        size_t run = len < 6 ? len : 6;
        for (size_t i = 0; i + run <= len; i++)
            if (contains(f, sizeof *f, values[v] + i, run))
                fail_msg("%s: bytes %zu.. of personal value %zu left in the flow", where, i, v);
    }
    explicit_bzero(&a, sizeof a);
    explicit_bzero(&b, sizeof b);
}

static void test_wipe_at_every_step(void **state)
{
    (void)state;
    for (int st = KS_STEP_KIND; st <= KS_STEP_DONE; st++) {
        ks_booking_flow_t f;
        fx_flow_to(&f, KS_MARRIAGE, st > KS_STEP_REVIEW ? KS_STEP_REVIEW : (ks_booking_step_t)st,
                   NULL);
        if (st >= KS_STEP_SUBMITTING)
            assert_int_equal(ks_booking_flow_confirm(&f, fx_keygen, NULL), KS_OK);
        if (st == KS_STEP_DONE)
            assert_int_equal(ks_booking_flow_done(&f, "M1"), KS_OK);
        if (st >= KS_STEP_SECOND_CARD) /* the data is really there before */
            assert_true(contains(&f, sizeof f, "张三", strlen("张三")));
        ks_booking_flow_wipe(&f);
        const unsigned char *p = (const unsigned char *)&f;
        for (size_t i = 0; i < sizeof f; i++)
            if (p[i] != 0)
                fail_msg("step %s: byte %zu is %#x after wipe", ks_booking_step_name(st), i, p[i]);
        assert_no_personal(&f, ks_booking_step_name(st));
        /* A wiped flow does nothing until started again. */
        assert_int_equal(ks_booking_flow_set_kind(&f, KS_MARRIAGE), KS_E_STATE);
        assert_int_equal(ks_booking_flow_set_phone(&f, 0, FX_PHONE_A), KS_E_STATE);
    }
    ks_booking_flow_wipe(NULL);
}

static void test_back_to_cards_wipes_parties(void **state)
{
    (void)state;
    ks_booking_flow_t f;
    fx_flow_to(&f, KS_MARRIAGE, KS_STEP_REVIEW, NULL);
    /* Back to CHECKS keeps the parties; back once more forgets them. */
    while (f.step != KS_STEP_CHECKS)
        assert_int_equal(ks_booking_flow_back(&f), KS_OK);
    assert_int_equal(f.n_parties, 2);
    assert_int_equal(ks_booking_flow_back(&f), KS_OK);
    assert_int_equal(f.step, KS_STEP_FIRST_CARD);
    assert_no_personal(&f, "back from CHECKS");
    assert_int_equal(f.today, FX_TODAY); /* the flow itself goes on */
    ks_booking_flow_wipe(&f);

    fx_flow_to(&f, KS_MARRIAGE, KS_STEP_SECOND_CARD, NULL);
    assert_int_equal(ks_booking_flow_back(&f), KS_OK);
    assert_no_personal(&f, "back from SECOND_CARD");
    ks_booking_flow_wipe(&f);

    /* A new kind starts with no party. */
    fx_flow_to(&f, KS_MARRIAGE, KS_STEP_SECOND_CARD, NULL);
    assert_int_equal(ks_booking_flow_back(&f), KS_OK);
    assert_int_equal(ks_booking_flow_back(&f), KS_OK);
    assert_int_equal(ks_booking_flow_set_kind(&f, KS_REISSUE), KS_OK);
    assert_no_personal(&f, "new kind");
    ks_booking_flow_wipe(&f);
}

static void test_timeout_wipes_first_party(void **state)
{
    (void)state;
    ks_booking_flow_t f;
    fx_flow_to(&f, KS_MARRIAGE, KS_STEP_SECOND_CARD, NULL);
    assert_int_equal(ks_booking_flow_tick(&f, 1000 + KS_MARRIAGE_SECOND_CARD_MS), 1);
    assert_no_personal(&f, "second card timeout");
    ks_booking_flow_wipe(&f);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_wipe_at_every_step),
        cmocka_unit_test(test_back_to_cards_wipes_parties),
        cmocka_unit_test(test_timeout_wipes_first_party),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
