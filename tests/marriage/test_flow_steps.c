/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The booking flow's steps (ks_booking_flow_t): the order KIND → FIRST_CARD →
 * SECOND_CARD → CHECKS → OFFICE → DATE → SLOT → PHONE_A → PHONE_B → REVIEW;
 * every setter refused outside its step with nothing changed; back one step
 * at a time down to KIND; REISSUE with one party skips PHONE_B; refused
 * inputs (date, slot, office, card) keep the step and name the reason; a
 * marriage where a party is under age even on the window's last day stops at
 * CHECKS; the calendar starts on the day both have the legal age.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "marriage_fixture.h"

static void test_order(void **state)
{
    (void)state;
    static const ks_booking_step_t order[] = {
        KS_STEP_KIND, KS_STEP_FIRST_CARD, KS_STEP_SECOND_CARD, KS_STEP_CHECKS,  KS_STEP_OFFICE,
        KS_STEP_DATE, KS_STEP_SLOT,       KS_STEP_PHONE_A,     KS_STEP_PHONE_B, KS_STEP_REVIEW,
    };
    ks_booking_flow_t f;
    for (size_t i = 0; i < sizeof order / sizeof order[0]; i++) {
        fx_flow_to(&f, KS_MARRIAGE, order[i], NULL);
        assert_int_equal(f.step, order[i]);
        assert_int_equal(f.why, KS_MARRIAGE_WHY_OK);
        ks_booking_flow_wipe(&f);
    }
    fx_flow_to(&f, KS_MARRIAGE, KS_STEP_REVIEW, NULL);
    assert_int_equal(f.type, KS_MARRIAGE);
    assert_int_equal(f.n_parties, 2);
    assert_string_equal(f.office, "JJ01");
    assert_int_equal(f.date, FX_DATE);
    assert_string_equal(f.slot, "JJ01-20260310-0900");
    assert_string_equal(f.slot_start, "2026-03-10T09:00:00+08:00");
    assert_int_equal(f.first, 20260304);
    assert_int_equal(f.last, 20260401);
    ks_api_party_t parties[2];
    assert_int_equal(ks_booking_flow_api_parties(&f, parties), 2);
    assert_string_equal(parties[0].citizen, FX_TOKEN_A);
    assert_string_equal(parties[1].phone, FX_PHONE_B);
    assert_string_equal(ks_booking_step_name(KS_STEP_SECOND_CARD), "SECOND_CARD");
    assert_string_equal(ks_booking_step_name((ks_booking_step_t)99), "UNKNOWN");
    ks_booking_flow_wipe(&f);
}

/* Calls every setter; each must be refused with KS_E_STATE except the step's own. */
static void test_wrong_steps(void **state)
{
    (void)state;
    ks_party_t p = fx_party(19950101, KS_SEX_FEMALE, 9, "");
    ks_api_slot_t s = fx_slot("JJ01", FX_DATE, 10, 0, 2);
    for (int st = KS_STEP_KIND; st <= KS_STEP_REVIEW; st++) {
        ks_booking_flow_t f, before;
        fx_flow_to(&f, KS_MARRIAGE, (ks_booking_step_t)st, NULL);
        memcpy(&before, &f, sizeof f);
        if (st != KS_STEP_KIND)
            assert_int_equal(ks_booking_flow_set_kind(&f, KS_DIVORCE), KS_E_STATE);
        if (st != KS_STEP_FIRST_CARD && st != KS_STEP_SECOND_CARD)
            assert_int_equal(ks_booking_flow_add_party(&f, &p, 5000), KS_E_STATE);
        if (st != KS_STEP_CHECKS)
            assert_int_equal(ks_booking_flow_proceed(&f), KS_E_STATE);
        if (st != KS_STEP_OFFICE)
            assert_int_equal(ks_booking_flow_set_office(&f, "JJ02"), KS_E_STATE);
        if (st != KS_STEP_DATE)
            assert_int_equal(ks_booking_flow_set_date(&f, FX_DATE), KS_E_STATE);
        if (st != KS_STEP_SLOT)
            assert_int_equal(ks_booking_flow_set_slot(&f, &s), KS_E_STATE);
        if (st != KS_STEP_PHONE_A)
            assert_int_equal(ks_booking_flow_set_phone(&f, 0, FX_PHONE_A), KS_E_STATE);
        if (st != KS_STEP_PHONE_B)
            assert_int_equal(ks_booking_flow_set_phone(&f, 1, FX_PHONE_B), KS_E_STATE);
        if (st != KS_STEP_REVIEW)
            assert_int_equal(ks_booking_flow_confirm(&f, fx_keygen, NULL), KS_E_STATE);
        assert_int_equal(ks_booking_flow_one_party(&f), KS_E_STATE); /* a marriage */
        assert_int_equal(ks_booking_flow_done(&f, "M1"), KS_E_STATE);
        assert_int_equal(ks_booking_flow_failed(&f), KS_E_STATE);
        assert_memory_equal(&f, &before, sizeof f);
        ks_booking_flow_wipe(&f);
        ks_booking_flow_wipe(&before);
    }
}

static void test_back(void **state)
{
    (void)state;
    static const ks_booking_step_t down[] = {
        KS_STEP_REVIEW, KS_STEP_PHONE_B, KS_STEP_PHONE_A,    KS_STEP_SLOT, KS_STEP_DATE,
        KS_STEP_OFFICE, KS_STEP_CHECKS,  KS_STEP_FIRST_CARD, KS_STEP_KIND,
    };
    ks_booking_flow_t f;
    fx_flow_to(&f, KS_MARRIAGE, KS_STEP_REVIEW, NULL);
    for (size_t i = 1; i < sizeof down / sizeof down[0]; i++) {
        assert_int_equal(ks_booking_flow_back(&f), KS_OK);
        assert_int_equal(f.step, down[i]);
        if (down[i] == KS_STEP_FIRST_CARD)
            assert_int_equal(f.n_parties, 0); /* cards are read again */
        if (down[i] == KS_STEP_CHECKS)
            assert_int_equal(f.date, FX_DATE); /* choices stay until changed */
    }
    assert_int_equal(ks_booking_flow_back(&f), KS_E_STATE);
    assert_int_equal(f.step, KS_STEP_KIND);
    /* From the second card, back to the first. */
    fx_flow_to(&f, KS_MARRIAGE, KS_STEP_SECOND_CARD, NULL);
    assert_int_equal(ks_booking_flow_back(&f), KS_OK);
    assert_int_equal(f.step, KS_STEP_FIRST_CARD);
    assert_int_equal(f.n_parties, 0);
    ks_booking_flow_wipe(&f);
}

static void test_reissue_one_party(void **state)
{
    (void)state;
    ks_booking_flow_t f;
    fx_flow_to(&f, KS_REISSUE, KS_STEP_SECOND_CARD, NULL);
    assert_int_equal(ks_booking_flow_one_party(&f), KS_OK);
    assert_int_equal(f.step, KS_STEP_CHECKS);
    assert_int_equal(f.why, KS_MARRIAGE_WHY_OK);
    assert_int_equal(ks_booking_flow_proceed(&f), KS_OK);
    assert_int_equal(ks_booking_flow_set_office(&f, "JJ01"), KS_OK);
    assert_int_equal(ks_booking_flow_set_date(&f, FX_DATE), KS_OK);
    ks_api_slot_t s = fx_slot("JJ01", FX_DATE, 14, 30, 1);
    assert_int_equal(ks_booking_flow_set_slot(&f, &s), KS_OK);
    assert_int_equal(ks_booking_flow_set_phone(&f, 0, FX_PHONE_A), KS_OK);
    assert_int_equal(f.step, KS_STEP_REVIEW); /* no PHONE_B */
    assert_int_equal(ks_booking_flow_back(&f), KS_OK);
    assert_int_equal(f.step, KS_STEP_PHONE_A);
    assert_int_equal(ks_booking_flow_set_phone(&f, 0, FX_PHONE_A), KS_OK);
    ks_api_party_t parties[2];
    assert_int_equal(ks_booking_flow_api_parties(&f, parties), 1);
    ks_booking_flow_wipe(&f);
}

static void test_refused_inputs(void **state)
{
    (void)state;
    ks_holidays_t *h = fx_bundled_holidays();
    ks_booking_flow_t f;
    fx_flow_to(&f, KS_MARRIAGE, KS_STEP_OFFICE, h);
    assert_int_equal(ks_booking_flow_set_office(&f, ""), KS_E_INVAL);
    assert_int_equal(ks_booking_flow_set_office(&f, "JJ01/../x"), KS_E_INVAL);
    assert_int_equal(ks_booking_flow_set_office(&f, "ABCDEFGHIJKLMNOP"), KS_E_INVAL);
    assert_int_equal(ks_booking_flow_set_office(&f, NULL), KS_E_INVAL);
    assert_int_equal(f.step, KS_STEP_OFFICE);
    assert_int_equal(ks_booking_flow_set_office(&f, "JJ01"), KS_OK);
    static const struct {
        int d;
        ks_marriage_why_t why;
    } dates[] = {
        {20260303, KS_MARRIAGE_WHY_TOO_SOON},
        {20260307, KS_MARRIAGE_WHY_CLOSED},
        {20260402, KS_MARRIAGE_WHY_TOO_FAR},
        {20260230, KS_MARRIAGE_WHY_TOO_FAR},
    };
    for (size_t i = 0; i < sizeof dates / sizeof dates[0]; i++) {
        assert_int_equal(ks_booking_flow_check_date(&f, dates[i].d), dates[i].why);
        assert_int_equal(ks_booking_flow_set_date(&f, dates[i].d), KS_E_RANGE);
        assert_int_equal(f.why, dates[i].why);
        assert_int_equal(f.step, KS_STEP_DATE);
    }
    assert_int_equal(ks_booking_flow_set_date(&f, 20260304), KS_OK);
    assert_int_equal(f.why, KS_MARRIAGE_WHY_OK);
    /* Slots: another day's, a full one, a malformed one. */
    ks_api_slot_t other = fx_slot("JJ01", 20260305, 9, 0, 2);
    ks_api_slot_t full = fx_slot("JJ01", 20260304, 9, 0, 0);
    ks_api_slot_t junk = fx_slot("JJ01", 20260304, 9, 0, 2);
    memcpy(junk.start, "2026-03-04 09:00", 17);
    assert_int_equal(ks_booking_flow_set_slot(&f, &other), KS_E_INVAL);
    assert_int_equal(ks_booking_flow_set_slot(&f, &junk), KS_E_INVAL);
    assert_int_equal(ks_booking_flow_set_slot(&f, NULL), KS_E_INVAL);
    assert_int_equal(ks_booking_flow_set_slot(&f, &full), KS_E_RANGE);
    assert_int_equal(f.why, KS_MARRIAGE_WHY_FULL);
    assert_int_equal(f.step, KS_STEP_SLOT);
    assert_string_equal(f.slot, "");
    /* A new date clears the slot chosen for the old one. */
    ks_api_slot_t ok = fx_slot("JJ01", 20260304, 9, 0, 1);
    assert_int_equal(ks_booking_flow_set_slot(&f, &ok), KS_OK);
    assert_int_equal(ks_booking_flow_back(&f), KS_OK);
    assert_int_equal(ks_booking_flow_back(&f), KS_OK);
    assert_int_equal(ks_booking_flow_set_date(&f, 20260305), KS_OK);
    assert_string_equal(f.slot, "");
    /* Full days for the calendar. */
    ks_api_slots_t *slots = calloc(1, sizeof *slots);
    assert_non_null(slots);
    slots->n = 3;
    slots->slots[0] = fx_slot("JJ01", 20260304, 9, 0, 0);
    slots->slots[1] = fx_slot("JJ01", 20260304, 10, 0, 0);
    slots->slots[2] = fx_slot("JJ01", 20260305, 9, 0, 3);
    assert_int_equal(ks_marriage_day_remaining(slots, 20260304), 0);
    assert_int_equal(ks_marriage_day_remaining(slots, 20260305), 3);
    assert_int_equal(ks_marriage_day_remaining(slots, 20260306), 0);
    free(slots);
    ks_booking_flow_wipe(&f);
    free(h);
}

static void test_age_in_flow(void **state)
{
    (void)state;
    ks_booking_flow_t f;
    /* Today 2026-03-02, window 03-04..04-01. A woman who turns 20 on 03-20. */
    ks_party_t man = fx_party(19990101, KS_SEX_MALE, 1, "");
    ks_party_t woman = fx_party(20060320, KS_SEX_FEMALE, 2, "");
    fx_flow_to(&f, KS_MARRIAGE, KS_STEP_FIRST_CARD, NULL);
    assert_int_equal(ks_booking_flow_add_party(&f, &man, 0), KS_OK);
    assert_int_equal(ks_booking_flow_add_party(&f, &woman, 10), KS_OK);
    assert_int_equal(f.step, KS_STEP_CHECKS);
    assert_int_equal(f.why, KS_MARRIAGE_WHY_OK);
    assert_int_equal(f.age_from, 20260320);
    assert_int_equal(ks_booking_flow_proceed(&f), KS_OK);
    assert_int_equal(ks_booking_flow_set_office(&f, "JJ01"), KS_OK);
    assert_int_equal(ks_booking_flow_check_date(&f, 20260319), KS_MARRIAGE_WHY_UNDER_AGE_WOMAN);
    assert_int_equal(ks_booking_flow_set_date(&f, 20260319), KS_E_RANGE);
    assert_int_equal(f.why, KS_MARRIAGE_WHY_UNDER_AGE_WOMAN);
    assert_int_equal(ks_booking_flow_set_date(&f, 20260320), KS_OK);
    ks_booking_flow_wipe(&f);

    /* A man who turns 22 only after the window: stopped at CHECKS. */
    ks_party_t young = fx_party(20040402, KS_SEX_MALE, 3, "");
    fx_flow_to(&f, KS_MARRIAGE, KS_STEP_FIRST_CARD, NULL);
    assert_int_equal(ks_booking_flow_add_party(&f, &woman, 0), KS_OK);
    assert_int_equal(ks_booking_flow_add_party(&f, &young, 10), KS_OK);
    assert_int_equal(f.step, KS_STEP_CHECKS);
    assert_int_equal(f.why, KS_MARRIAGE_WHY_UNDER_AGE_MAN);
    assert_int_equal(ks_booking_flow_proceed(&f), KS_E_STATE);
    assert_int_equal(ks_booking_flow_back(&f), KS_OK);
    assert_int_equal(f.step, KS_STEP_FIRST_CARD);
    assert_int_equal(f.n_parties, 0);
    ks_booking_flow_wipe(&f);

    /* Turning 22 on the last day of the window (04-01) is enough to go on. */
    ks_party_t just = fx_party(20040401, KS_SEX_MALE, 4, "");
    fx_flow_to(&f, KS_MARRIAGE, KS_STEP_FIRST_CARD, NULL);
    assert_int_equal(ks_booking_flow_add_party(&f, &just, 0), KS_OK);
    assert_int_equal(ks_booking_flow_add_party(&f, &woman, 10), KS_OK);
    assert_int_equal(f.why, KS_MARRIAGE_WHY_OK);
    assert_int_equal(f.age_from, 20260401);
    ks_booking_flow_wipe(&f);
}

static void test_bad_cards(void **state)
{
    (void)state;
    ks_booking_flow_t f;
    fx_flow_to(&f, KS_MARRIAGE, KS_STEP_FIRST_CARD, NULL);
    ks_party_t p = fx_party(19900501, KS_SEX_MALE, 1, "");
    p.sex = KS_SEX_FEMALE;
    assert_int_equal(ks_booking_flow_add_party(&f, &p, 0), KS_E_RANGE);
    assert_int_equal(f.why, KS_MARRIAGE_WHY_CARD_MISMATCH);
    assert_int_equal(f.step, KS_STEP_FIRST_CARD);
    assert_int_equal(f.n_parties, 0);
    p.sex = KS_SEX_MALE;
    p.idnum[3] = 'A';
    assert_int_equal(ks_booking_flow_add_party(&f, &p, 0), KS_E_RANGE);
    assert_int_equal(f.why, KS_MARRIAGE_WHY_BAD_ID);
    /* A bad backend token is a programming error, not the citizen's. */
    p = fx_party(19900501, KS_SEX_MALE, 1, "");
    snprintf(p.citizen, sizeof p.citizen, "%s", "not-a-token");
    assert_int_equal(ks_booking_flow_add_party(&f, &p, 0), KS_E_INVAL);
    p.citizen[0] = '\0';
    assert_int_equal(ks_booking_flow_add_party(&f, &p, 0), KS_OK);
    assert_int_equal(f.why, KS_MARRIAGE_WHY_OK);
    /* The same card again at the second step. */
    assert_int_equal(ks_booking_flow_add_party(&f, &p, 10), KS_E_RANGE);
    assert_int_equal(f.why, KS_MARRIAGE_WHY_SAME_PERSON);
    assert_int_equal(f.step, KS_STEP_SECOND_CARD);
    assert_int_equal(f.n_parties, 1);
    /* The token comes later from the lookup; then the review can build the request. */
    ks_party_t q = fx_party(19920715, KS_SEX_FEMALE, 2, "");
    assert_int_equal(ks_booking_flow_add_party(&f, &q, 20), KS_OK);
    assert_int_equal(ks_booking_flow_set_citizen(&f, 2, FX_TOKEN_A), KS_E_INVAL);
    assert_int_equal(ks_booking_flow_set_citizen(&f, 0, "xyz"), KS_E_INVAL);
    assert_int_equal(ks_booking_flow_set_citizen(&f, 0, FX_TOKEN_A), KS_OK);
    ks_booking_flow_wipe(&f);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_order),          cmocka_unit_test(test_wrong_steps),
        cmocka_unit_test(test_back),           cmocka_unit_test(test_reissue_one_party),
        cmocka_unit_test(test_refused_inputs), cmocka_unit_test(test_age_in_flow),
        cmocka_unit_test(test_bad_cards),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
