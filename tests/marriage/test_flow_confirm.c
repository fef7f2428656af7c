/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Confirm and the Idempotency-Key: made once at the first confirm, the same
 * on a double tap and on every retry after a failure; a new one only after an
 * input changes (a new request); a generator that fails or makes no UUID
 * leaves the flow at REVIEW; DONE keeps the booking number.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "marriage_fixture.h"

static int failing_keygen(char out[37])
{
    out[0] = '\0';
    return KS_E_IO;
}

static int bad_uuid_keygen(char out[37])
{
    snprintf(out, 37, "%s", "00000000-0000-4000-8000-00000000000G");
    return 0;
}

static void test_confirm_twice_same_key(void **state)
{
    (void)state;
    ks_booking_flow_t f;
    fx_flow_to(&f, KS_MARRIAGE, KS_STEP_REVIEW, NULL);
    *fx_key_calls() = 0;
    const char *k1 = NULL, *k2 = NULL;
    assert_int_equal(ks_booking_flow_confirm(&f, fx_keygen, &k1), KS_OK);
    assert_int_equal(f.step, KS_STEP_SUBMITTING);
    assert_string_equal(k1, "00000000-0000-4000-8000-000000000001");
    assert_true(ks_api_uuid_valid(k1));
    /* A double tap while submitting. */
    assert_int_equal(ks_booking_flow_confirm(&f, fx_keygen, &k2), KS_OK);
    assert_string_equal(k2, "00000000-0000-4000-8000-000000000001");
    assert_int_equal(*fx_key_calls(), 1);
    assert_int_equal(ks_booking_flow_back(&f), KS_E_STATE); /* in flight */
    /* The request failed (network): retry with the same key. */
    assert_int_equal(ks_booking_flow_failed(&f), KS_OK);
    assert_int_equal(f.step, KS_STEP_FAILED);
    assert_int_equal(ks_booking_flow_confirm(&f, fx_keygen, &k2), KS_OK);
    assert_string_equal(k2, "00000000-0000-4000-8000-000000000001");
    /* Back to the review and confirm again: still the same request, the same key. */
    assert_int_equal(ks_booking_flow_failed(&f), KS_OK);
    assert_int_equal(ks_booking_flow_back(&f), KS_OK);
    assert_int_equal(f.step, KS_STEP_REVIEW);
    assert_int_equal(ks_booking_flow_confirm(&f, fx_keygen, &k2), KS_OK);
    assert_string_equal(k2, "00000000-0000-4000-8000-000000000001");
    assert_int_equal(*fx_key_calls(), 1);
    /* Built into the request as is. */
    ks_api_party_t parties[2];
    int n = ks_booking_flow_api_parties(&f, parties);
    assert_int_equal(n, 2);
    ks_api_request_t *req = ks_api_req_book(f.type, f.slot, parties, n, f.idempotency_key);
    assert_non_null(req);
    assert_string_equal(req->idempotency_key, "00000000-0000-4000-8000-000000000001");
    ks_api_request_free(req);
    assert_int_equal(ks_booking_flow_done(&f, ""), KS_E_INVAL);
    assert_int_equal(ks_booking_flow_done(&f, "J20260310001234567890123"), KS_E_INVAL);
    assert_int_equal(ks_booking_flow_done(&f, "M20260310-0001"), KS_OK);
    assert_int_equal(f.step, KS_STEP_DONE);
    assert_string_equal(f.booking_number, "M20260310-0001");
    assert_int_equal(ks_booking_flow_confirm(&f, fx_keygen, &k2), KS_E_STATE);
    assert_int_equal(ks_booking_flow_back(&f), KS_E_STATE);
    ks_booking_flow_wipe(&f);
}

/*
 * An unknown outcome, then the citizen goes back to the slots and chooses the
 * same slot and phones again: the same request, so the same key (the server
 * answers from its record instead of refusing a second booking).
 */
static void test_same_choice_again_same_key(void **state)
{
    (void)state;
    ks_booking_flow_t f;
    fx_flow_to(&f, KS_MARRIAGE, KS_STEP_REVIEW, NULL);
    *fx_key_calls() = 0;
    const char *k = NULL;
    char first[37];
    assert_int_equal(ks_booking_flow_confirm(&f, fx_keygen, &k), KS_OK);
    snprintf(first, sizeof first, "%s", k);
    assert_int_equal(ks_booking_flow_failed(&f), KS_OK);
    for (int i = 0; i < 4; i++)
        assert_int_equal(ks_booking_flow_back(&f), KS_OK);
    char slot_id[32];
    snprintf(slot_id, sizeof slot_id, "%s", f.slot);
    ks_api_slot_t s = fx_slot("JJ01", FX_DATE, 9, 0, 1);
    assert_int_equal(ks_booking_flow_set_slot(&f, &s), KS_OK);
    assert_string_equal(f.slot, slot_id); /* the same slot as before */
    assert_int_equal(ks_booking_flow_set_phone(&f, 0, FX_PHONE_A), KS_OK);
    assert_int_equal(ks_booking_flow_set_phone(&f, 1, FX_PHONE_B), KS_OK);
    assert_int_equal(ks_booking_flow_confirm(&f, fx_keygen, &k), KS_OK);
    assert_string_equal(k, first);
    assert_int_equal(*fx_key_calls(), 1);
    ks_booking_flow_wipe(&f);
}

static void test_change_makes_new_key(void **state)
{
    (void)state;
    ks_booking_flow_t f;
    fx_flow_to(&f, KS_MARRIAGE, KS_STEP_REVIEW, NULL);
    *fx_key_calls() = 0;
    const char *k = NULL;
    assert_int_equal(ks_booking_flow_confirm(&f, fx_keygen, &k), KS_OK);
    assert_int_equal(ks_booking_flow_failed(&f), KS_OK); /* e.g. SLOT_FULL */
    /* Back to the slot and another one: a different request. */
    for (int i = 0; i < 4; i++)
        assert_int_equal(ks_booking_flow_back(&f), KS_OK);
    assert_int_equal(f.step, KS_STEP_SLOT);
    ks_api_slot_t s = fx_slot("JJ01", FX_DATE, 10, 0, 1);
    assert_int_equal(ks_booking_flow_set_slot(&f, &s), KS_OK);
    assert_int_equal(ks_booking_flow_set_phone(&f, 0, FX_PHONE_A), KS_OK);
    assert_int_equal(ks_booking_flow_set_phone(&f, 1, FX_PHONE_B), KS_OK);
    assert_int_equal(ks_booking_flow_confirm(&f, fx_keygen, &k), KS_OK);
    assert_string_equal(k, "00000000-0000-4000-8000-000000000002");
    /* A renewed backend token changes the body: a new key too; the same token does not. */
    assert_int_equal(ks_booking_flow_failed(&f), KS_OK);
    assert_int_equal(ks_booking_flow_set_citizen(&f, 0, FX_TOKEN_A), KS_OK);
    assert_string_equal(f.idempotency_key, "00000000-0000-4000-8000-000000000002");
    assert_int_equal(ks_booking_flow_set_citizen(&f, 0, "00000000000000000000000000000000"), KS_OK);
    assert_int_equal(ks_booking_flow_confirm(&f, fx_keygen, &k), KS_OK);
    assert_string_equal(k, "00000000-0000-4000-8000-000000000003");
    ks_booking_flow_wipe(&f);
}

static void test_generator_failures(void **state)
{
    (void)state;
    ks_booking_flow_t f;
    fx_flow_to(&f, KS_MARRIAGE, KS_STEP_REVIEW, NULL);
    const char *k = NULL;
    assert_int_equal(ks_booking_flow_confirm(&f, failing_keygen, &k), KS_E_IO);
    assert_int_equal(f.step, KS_STEP_REVIEW);
    assert_null(k);
    assert_int_equal(ks_booking_flow_confirm(&f, bad_uuid_keygen, &k), KS_E_IO);
    assert_int_equal(f.step, KS_STEP_REVIEW);
    assert_string_equal(f.idempotency_key, "");
    /* The default generator: a random UUID v4. */
    assert_int_equal(ks_booking_flow_confirm(&f, NULL, &k), KS_OK);
    assert_true(ks_api_uuid_valid(k));
    assert_int_equal(k[14], '4');
    char first[37];
    memcpy(first, k, sizeof first);
    assert_int_equal(ks_booking_flow_confirm(&f, NULL, &k), KS_OK);
    assert_string_equal(k, first);
    ks_booking_flow_wipe(&f);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_confirm_twice_same_key),
        cmocka_unit_test(test_same_choice_again_same_key),
        cmocka_unit_test(test_change_makes_new_key),
        cmocka_unit_test(test_generator_failures),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
