/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ESC/POS commands byte for byte: what the printer receives is exactly this. */
#include "error.h"
#include "escpos.h"

#include <qrencode.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

static void expect_bytes(ks_escpos_t *e, const unsigned char *want, size_t n)
{
    size_t len = 0;
    const unsigned char *got = ks_escpos_data(e, &len);
    assert_int_equal(len, n);
    assert_memory_equal(got, want, n);
}

static void test_commands(void **state)
{
    (void)state;
    ks_escpos_t *e = ks_escpos_new();
    assert_non_null(e);
    assert_int_equal(ks_escpos_reset(e), KS_OK);
    assert_int_equal(ks_escpos_align(e, KS_ESCPOS_CENTER), KS_OK);
    assert_int_equal(ks_escpos_bold(e, 1), KS_OK);
    assert_int_equal(ks_escpos_size(e, 2, 3), KS_OK);
    assert_int_equal(ks_escpos_feed(e, 4), KS_OK);
    assert_int_equal(ks_escpos_cut(e, 80), KS_OK);
    static const unsigned char want[] = {0x1B, '@', 0x1C, '&',  0x1B, 'a', 1,    0x1B, 'E', 1,
                                         0x1D, '!', 0x12, 0x1B, 'd',  4,   0x1D, 'V',  66,  80};
    expect_bytes(e, want, sizeof want);
    ks_escpos_free(e);
}

static void test_out_of_range_appends_nothing(void **state)
{
    (void)state;
    ks_escpos_t *e = ks_escpos_new();
    assert_int_equal(ks_escpos_size(e, 0, 1), KS_E_INVAL);
    assert_int_equal(ks_escpos_size(e, 1, 9), KS_E_INVAL);
    assert_int_equal(ks_escpos_align(e, (ks_escpos_align_t)3), KS_E_INVAL);
    assert_int_equal(ks_escpos_feed(e, 256), KS_E_INVAL);
    assert_int_equal(ks_escpos_cut(e, -1), KS_E_INVAL);
    assert_int_equal(ks_escpos_qr(e, "", 4), KS_E_INVAL);
    assert_int_equal(ks_escpos_qr(e, "x", 17), KS_E_INVAL);
    assert_int_equal(ks_escpos_qr_raster(e, "x", 0), KS_E_INVAL);
    size_t len = 1;
    ks_escpos_data(e, &len);
    assert_int_equal(len, 0);
    ks_escpos_free(e);
}

static void test_chinese_text_in_gb18030(void **state)
{
    (void)state;
    ks_escpos_t *e = ks_escpos_new();
    /* 预约号 (GB2312 range), 䶮 (a four-byte GB18030 character), · (middle dot). */
    assert_int_equal(ks_escpos_line(e, "预约号：JJ01"), KS_OK);
    assert_int_equal(ks_escpos_text(e, "张䶮·\n"), KS_OK);
    static const unsigned char want[] = {0xD4, 0xA4, 0xD4, 0xBC, 0xBA, 0xC5, 0xA3,
                                         0xBA, 'J',  'J',  '0',  '1',  0x0A, 0xD5,
                                         0xC5, 0xFE, 0x9F, 0xA1, 0xA4, 0x0A};
    expect_bytes(e, want, sizeof want);
    ks_escpos_free(e);
}

static void test_text_refused_whole(void **state)
{
    (void)state;
    ks_escpos_t *e = ks_escpos_new();
    assert_int_equal(ks_escpos_text(e, "ok"), KS_OK);
    /* A control byte would be a printer command (ESC @ resets it mid-slip). */
    assert_int_equal(ks_escpos_text(e, "a\x1b@b"), KS_E_INVAL);
    assert_int_equal(ks_escpos_text(e, "tab\there"), KS_E_INVAL);
    /* Malformed and truncated UTF-8. */
    assert_int_equal(ks_escpos_text(e, "\xff\xfe"), KS_E_INVAL);
    assert_int_equal(ks_escpos_line(e, "\xe9\xa2"), KS_E_INVAL);
    assert_int_equal(ks_escpos_text(e, NULL), KS_E_INVAL);
    static const unsigned char want[] = {'o', 'k'};
    expect_bytes(e, want, sizeof want);
    ks_escpos_free(e);
}

static void test_qr_command(void **state)
{
    (void)state;
    ks_escpos_t *e = ks_escpos_new();
    assert_int_equal(ks_escpos_qr(e, "JJ2612010001", 6), KS_OK);
    static const unsigned char want[] = {
        0x1D, '(', 'k', 4,   0,   49,  65,  50,  0, /* model 2 */
        0x1D, '(', 'k', 3,   0,   49,  67,  6,      /* module 6 dots */
        0x1D, '(', 'k', 3,   0,   49,  69,  49,     /* error correction M */
        0x1D, '(', 'k', 15,  0,   49,  80,  48,  'J', 'J',
        '2',  '6', '1', '2', '0', '1', '0', '0', '0', '1', /* store 12 bytes */
        0x1D, '(', 'k', 3,   0,   49,  81,  48};           /* print */
    expect_bytes(e, want, sizeof want);
    ks_escpos_free(e);
}

static void test_qr_long_data_length_bytes(void **state)
{
    (void)state;
    ks_escpos_t *e = ks_escpos_new();
    char data[301];
    memset(data, 'A', 300);
    data[300] = '\0';
    assert_int_equal(ks_escpos_qr(e, data, 3), KS_OK);
    size_t len = 0;
    const unsigned char *b = ks_escpos_data(e, &len);
    /* The store function's pL pH count 300 data bytes + 3: 303 = 0x012F. */
    const unsigned char *store = b + 9 + 8 + 8;
    assert_int_equal(store[3], 0x2F);
    assert_int_equal(store[4], 0x01);
    assert_int_equal(len, 9 + 8 + 8 + 8 + 300 + 8);
    ks_escpos_free(e);
}

/* The raster image carries libqrencode's modules, quiet zone and all, dot for dot. */
static void test_qr_raster_matches_the_code(void **state)
{
    (void)state;
    const char *data = "JJ2612010001";
    const int module = 4;
    ks_escpos_t *e = ks_escpos_new();
    assert_int_equal(ks_escpos_qr_raster(e, data, module), KS_OK);
    QRcode *qr = QRcode_encodeString(data, 0, QR_ECLEVEL_M, QR_MODE_8, 1);
    assert_non_null(qr);
    int dots = (qr->width + 8) * module, row_bytes = (dots + 7) / 8;
    size_t len = 0;
    const unsigned char *b = ks_escpos_data(e, &len);
    assert_int_equal(len, 8 + (size_t)row_bytes * (size_t)dots);
    static const unsigned char head[] = {0x1D, 'v', '0', 0};
    assert_memory_equal(b, head, sizeof head);
    assert_int_equal(b[4] | b[5] << 8, row_bytes);
    assert_int_equal(b[6] | b[7] << 8, dots);
    const unsigned char *img = b + 8;
    for (int y = 0; y < dots; y++) {
        for (int x = 0; x < dots; x++) {
            int mx = x / module - 4, my = y / module - 4;
            int want = mx >= 0 && my >= 0 && mx < qr->width && my < qr->width &&
                       (qr->data[my * qr->width + mx] & 1);
            int got = (img[y * row_bytes + x / 8] >> (7 - x % 8)) & 1;
            if (got != want)
                fail_msg("dot (%d, %d): %d, expected %d", x, y, got, want);
        }
    }
    QRcode_free(qr);
    /* Too wide for 80 mm paper (version 4, 41 modules × 16 dots): refused, nothing appended. */
    assert_int_equal(ks_escpos_qr_raster(e, "JJ2612010001JJ2612010001JJ2612010001JJ2612010001", 16),
                     KS_E_INVAL);
    size_t after = 0;
    ks_escpos_data(e, &after);
    assert_int_equal(after, len);
    ks_escpos_free(e);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_commands),
        cmocka_unit_test(test_out_of_range_appends_nothing),
        cmocka_unit_test(test_chinese_text_in_gb18030),
        cmocka_unit_test(test_text_refused_whole),
        cmocka_unit_test(test_qr_command),
        cmocka_unit_test(test_qr_long_data_length_bytes),
        cmocka_unit_test(test_qr_raster_matches_the_code),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
