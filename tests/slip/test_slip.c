/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The printed booking slip and queue ticket, byte for byte against golden
 * files (tests/printer/golden/, reviewed by decoding them: see below), and
 * what they must and must not carry. KS_UPDATE_GOLDEN=1 rewrites the files.
 */
#include "catalog.h"
#include "error.h"
#include "escpos.h"
#include "slip.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

static ks_catalog_t *zh;

static int setup(void **state)
{
    (void)state;
    char path[1024], err[256];
    const char *src = getenv("KS_SOURCE_DIR");
    snprintf(path, sizeof path, "%s/assets/strings/zh_CN.ini", src ? src : ".");
    zh = ks_catalog_load(path, NULL, err, sizeof err);
    return zh ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    ks_catalog_free(zh);
    return 0;
}

static ks_api_booking_t booking(ks_booking_type_t type)
{
    ks_api_booking_t b;
    memset(&b, 0, sizeof b);
    snprintf(b.number, sizeof b.number, "JJ2612010001");
    b.type = type;
    snprintf(b.office, sizeof b.office, "JJ01");
    snprintf(b.office_name, sizeof b.office_name, "江津区婚姻登记处");
    snprintf(b.start, sizeof b.start, "2026-12-01T09:00:00+08:00");
    snprintf(b.end, sizeof b.end, "2026-12-01T10:00:00+08:00");
    if (type == KS_DIVORCE) {
        snprintf(b.second_from, sizeof b.second_from, "2026-12-31");
        snprintf(b.second_to, sizeof b.second_to, "2027-01-30");
    }
    return b;
}

/* 1 when `needle` (n bytes) occurs in the slip. */
static int contains(const unsigned char *hay, size_t len, const void *needle, size_t n)
{
    for (size_t i = 0; n <= len && i + n <= len; i++)
        if (memcmp(hay + i, needle, n) == 0)
            return 1;
    return 0;
}

static void golden(const char *name, const unsigned char *got, size_t len)
{
    char path[1024];
    const char *src = getenv("KS_SOURCE_DIR");
    snprintf(path, sizeof path, "%s/tests/printer/golden/%s", src ? src : ".", name);
    if (getenv("KS_UPDATE_GOLDEN")) {
        FILE *f = fopen(path, "wb");
        assert_non_null(f);
        assert_int_equal(fwrite(got, 1, len, f), len);
        fclose(f);
    }
    FILE *f = fopen(path, "rb");
    if (!f)
        fail_msg("no golden file %s (KS_UPDATE_GOLDEN=1 writes it; review it before committing)",
                 path);
    static unsigned char want[1 << 16];
    size_t n = fread(want, 1, sizeof want, f);
    fclose(f);
    assert_int_equal(len, n);
    assert_memory_equal(got, want, n);
}

static void test_booking_slip(void **state)
{
    (void)state;
    ks_escpos_t *e = ks_escpos_new();
    ks_api_booking_t b = booking(KS_MARRIAGE);
    assert_int_equal(ks_slip_booking(e, zh, &b, "江津区几江街道滨江路88号（演示地址）", 0, 0),
                     KS_OK);
    size_t len = 0;
    const unsigned char *s = ks_escpos_data(e, &len);
    /* Starts by resetting the printer into Chinese mode, ends with a cut. */
    static const unsigned char reset[] = {0x1B, '@', 0x1C, '&'}, cut[] = {0x1D, 'V', 66, 0};
    assert_memory_equal(s, reset, sizeof reset);
    assert_memory_equal(s + len - sizeof cut, cut, sizeof cut);
    /* 预约成功 in GB18030, and the number stored in the QR command. */
    static const unsigned char title[] = {0xD4, 0xA4, 0xD4, 0xBC, 0xB3, 0xC9, 0xB9, 0xA6};
    assert_true(contains(s, len, title, sizeof title));
    static const unsigned char store[] = {0x1D, '(', 'k', 15,  0,   49,  80,  48,  'J', 'J',
                                          '2',  '6', '1', '2', '0', '1', '0', '0', '0', '1'};
    assert_true(contains(s, len, store, sizeof store));
    /* No break markers (U+200B in GB18030: 0x81 0x36 0xA4 0x37) reach the paper. */
    static const unsigned char zwsp[] = {0x81, 0x36, 0xA4, 0x37};
    assert_false(contains(s, len, zwsp, sizeof zwsp));
    golden("booking-slip-zh.bin", s, len);
    ks_escpos_free(e);
}

static void test_divorce_slip_has_second_window(void **state)
{
    (void)state;
    ks_escpos_t *e = ks_escpos_new();
    ks_api_booking_t b = booking(KS_DIVORCE);
    assert_int_equal(ks_slip_booking(e, zh, &b, NULL, 0, 1), KS_OK);
    size_t len = 0;
    const unsigned char *s = ks_escpos_data(e, &len);
    /* "2027年1月30日": the end of the second window, and a raster QR (GS v 0). */
    static const unsigned char day[] = {'2',  '0',  '2', '7', 0xC4, 0xEA, '1',
                                        0xD4, 0xC2, '3', '0', 0xC8, 0xD5};
    assert_true(contains(s, len, day, sizeof day));
    static const unsigned char raster[] = {0x1D, 'v', '0', 0};
    assert_true(contains(s, len, raster, sizeof raster));
    ks_escpos_free(e);
}

static void test_queue_ticket(void **state)
{
    (void)state;
    ks_escpos_t *e = ks_escpos_new();
    ks_api_checkin_t t;
    memset(&t, 0, sizeof t);
    snprintf(t.ticket, sizeof t.ticket, "J012");
    snprintf(t.counter_hint, sizeof t.counter_hint, "1号窗口");
    t.waiting_ahead = 3;
    ks_api_booking_t b = booking(KS_MARRIAGE);
    assert_int_equal(ks_slip_ticket(e, zh, &t, &b), KS_OK);
    size_t len = 0;
    const unsigned char *s = ks_escpos_data(e, &len);
    /* The ticket at four times the size: GS ! 0x33, then the number. */
    static const unsigned char big[] = {0x1D, '!', 0x33, 'J', '0', '1', '2', 0x0A};
    assert_true(contains(s, len, big, sizeof big));
    golden("queue-ticket-zh.bin", s, len);
    ks_escpos_free(e);
}

static void test_refused_without_number(void **state)
{
    (void)state;
    ks_escpos_t *e = ks_escpos_new();
    ks_api_booking_t b = booking(KS_MARRIAGE);
    b.number[0] = '\0';
    assert_int_equal(ks_slip_booking(e, zh, &b, NULL, 0, 0), KS_E_INVAL);
    ks_api_checkin_t t;
    memset(&t, 0, sizeof t);
    assert_int_equal(ks_slip_ticket(e, zh, &t, NULL), KS_E_INVAL);
    ks_escpos_free(e);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_booking_slip),
        cmocka_unit_test(test_divorce_slip_has_second_window),
        cmocka_unit_test(test_queue_ticket),
        cmocka_unit_test(test_refused_without_number),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
