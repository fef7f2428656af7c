/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The session's inactivity rules and its wipe, driven with explicit times. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "session.h"

#include <string.h>

static ks_identity_t holder(void)
{
    ks_identity_t id;
    memset(&id, 0, sizeof id);
    strcpy(id.name, "欧阳娜娜");
    strcpy(id.idnum, "11010519491231002X");
    strcpy(id.card_number, "A12345678");
    strcpy(id.nation, "汉");
    id.sex = KS_SEX_FEMALE;
    id.birth_yyyymmdd = 19491231;
    return id;
}

static void test_begin_holds_identity(void **state)
{
    (void)state;
    ks_session_t *s = ks_session_new(60000, 30000);
    ks_identity_t id = holder();
    assert_null(ks_session_identity(s));
    assert_int_equal(ks_session_state(s), KS_SESSION_NONE);
    ks_session_begin(s, &id, 1000);
    assert_int_equal(ks_session_state(s), KS_SESSION_ACTIVE);
    assert_string_equal(ks_session_identity(s)->name, "欧阳娜娜");
    assert_int_equal(ks_session_next_deadline_ms(s, 1000), 60000);
    ks_session_free(s);
}

static void test_countdown_and_expiry(void **state)
{
    (void)state;
    ks_session_t *s = ks_session_new(60000, 30000);
    ks_identity_t id = holder();
    ks_session_begin(s, &id, 0);
    assert_int_equal(ks_session_tick(s, 59999), KS_SESSION_EV_NONE);
    assert_int_equal(ks_session_tick(s, 60000), KS_SESSION_EV_COUNTDOWN_STARTED);
    assert_int_equal(ks_session_state(s), KS_SESSION_COUNTDOWN);
    assert_int_equal(ks_session_countdown_left_s(s, 60000), 30);
    assert_int_equal(ks_session_tick(s, 60500), KS_SESSION_EV_NONE);
    assert_int_equal(ks_session_tick(s, 61000), KS_SESSION_EV_COUNTDOWN_TICK);
    assert_int_equal(ks_session_countdown_left_s(s, 61000), 29);
    assert_int_equal(ks_session_countdown_left_s(s, 89001), 1);
    assert_int_equal(ks_session_tick(s, 89999), KS_SESSION_EV_COUNTDOWN_TICK);
    assert_int_equal(ks_session_tick(s, 90000), KS_SESSION_EV_EXPIRED);
    assert_int_equal(ks_session_state(s), KS_SESSION_NONE);
    assert_null(ks_session_identity(s));
    assert_int_equal(ks_session_next_deadline_ms(s, 90000), -1);
    ks_session_free(s);
}

static void test_activity_cancels_countdown(void **state)
{
    (void)state;
    ks_session_t *s = ks_session_new(60000, 30000);
    ks_identity_t id = holder();
    ks_session_begin(s, &id, 0);
    assert_int_equal(ks_session_tick(s, 70000), KS_SESSION_EV_COUNTDOWN_STARTED);
    ks_session_activity(s, 75000);
    assert_int_equal(ks_session_state(s), KS_SESSION_ACTIVE);
    assert_int_equal(ks_session_tick(s, 134999), KS_SESSION_EV_NONE);
    assert_int_equal(ks_session_tick(s, 135000), KS_SESSION_EV_COUNTDOWN_STARTED);
    ks_session_free(s);
}

static void test_stalled_loop_still_gives_full_countdown(void **state)
{
    (void)state;
    ks_session_t *s = ks_session_new(60000, 30000);
    ks_identity_t id = holder();
    ks_session_begin(s, &id, 0);
    /* The loop noticed only after idle + countdown had passed: the citizen still gets 30 s. */
    assert_int_equal(ks_session_tick(s, 200000), KS_SESSION_EV_COUNTDOWN_STARTED);
    assert_int_equal(ks_session_countdown_left_s(s, 200000), 30);
    assert_int_equal(ks_session_tick(s, 229999), KS_SESSION_EV_COUNTDOWN_TICK);
    assert_int_equal(ks_session_tick(s, 230000), KS_SESSION_EV_EXPIRED);
    ks_session_free(s);
}

static void test_late_notice_still_gives_full_countdown(void **state)
{
    (void)state;
    ks_session_t *s = ks_session_new(10000, 20000);
    ks_identity_t id = holder();
    ks_session_begin(s, &id, 0);
    /* Noticed 19 s late: less than the countdown, but it must not eat into it. */
    assert_int_equal(ks_session_tick(s, 29000), KS_SESSION_EV_COUNTDOWN_STARTED);
    assert_int_equal(ks_session_countdown_left_s(s, 29000), 20);
    ks_session_free(s);
}

static void test_fields_always_terminated(void **state)
{
    (void)state;
    ks_session_t *s = ks_session_new(10000, 20000);
    ks_identity_t id;
    memset(&id, 'A', sizeof id);
    ks_session_begin(s, &id, 0);
    const ks_identity_t *held = ks_session_identity(s);
    assert_int_equal(strlen(held->name), sizeof held->name - 1);
    assert_int_equal(strlen(held->idnum), sizeof held->idnum - 1);
    assert_int_equal(strlen(held->card_number), sizeof held->card_number - 1);
    assert_int_equal(strlen(held->nation), sizeof held->nation - 1);
    ks_session_free(s);
}

static void assert_all_zero(const void *p, size_t n)
{
    const unsigned char *b = p;
    for (size_t i = 0; i < n; i++)
        if (b[i] != 0)
            fail_msg("byte %zu of the identity is 0x%02x after the wipe", i, b[i]);
}

static void test_end_wipes_every_byte(void **state)
{
    (void)state;
    ks_session_t *s = ks_session_new(60000, 30000);
    ks_identity_t id = holder();
    ks_session_begin(s, &id, 0);
    const ks_identity_t *held = ks_session_identity(s);
    ks_session_end(s);
    /* The storage still belongs to the session object: every personal byte must be gone. */
    assert_all_zero(held, sizeof *held);
    ks_session_free(s);
}

static void test_expiry_wipes_every_byte(void **state)
{
    (void)state;
    ks_session_t *s = ks_session_new(10000, 20000);
    ks_identity_t id = holder();
    ks_session_begin(s, &id, 0);
    const ks_identity_t *held = ks_session_identity(s);
    ks_session_tick(s, 10000);
    assert_int_equal(ks_session_tick(s, 30000), KS_SESSION_EV_EXPIRED);
    assert_all_zero(held, sizeof *held);
    ks_session_free(s);
}

static void test_new_session_replaces_old(void **state)
{
    (void)state;
    ks_session_t *s = ks_session_new(60000, 30000);
    ks_identity_t a = holder(), b = holder();
    strcpy(b.name, "李四");
    ks_session_begin(s, &a, 0);
    ks_session_begin(s, &b, 10);
    assert_string_equal(ks_session_identity(s)->name, "李四");
    assert_null(strstr((const char *)ks_session_identity(s), "欧阳"));
    ks_session_free(s);
}

static void test_identity_wipe(void **state)
{
    (void)state;
    ks_identity_t id = holder();
    ks_identity_wipe(&id);
    assert_all_zero(&id, sizeof id);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_begin_holds_identity),
        cmocka_unit_test(test_countdown_and_expiry),
        cmocka_unit_test(test_activity_cancels_countdown),
        cmocka_unit_test(test_stalled_loop_still_gives_full_countdown),
        cmocka_unit_test(test_late_notice_still_gives_full_countdown),
        cmocka_unit_test(test_fields_always_terminated),
        cmocka_unit_test(test_end_wipes_every_byte),
        cmocka_unit_test(test_expiry_wipes_every_byte),
        cmocka_unit_test(test_new_session_replaces_old),
        cmocka_unit_test(test_identity_wipe),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
