/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * A print job to an emulated USB printer: the print queue and the libusb
 * transport under umockdev-run, with tests/usb/printer.umockdev (the device)
 * and tests/usb/printer-slip.ioctl (what the printer answers to the queue's
 * status questions, DLE EOT 4 and 2: paper and cover fine; then what it accepts
 * on its bulk OUT endpoint: exactly the golden booking slip). umockdev
 * replays the transfer only when the bytes match, so a wrong byte fails.
 */
#include "error.h"
#include "printer.h"
#include "../printer/print_seen.h"
#include "usbprint.h"

#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

static unsigned char slip[4096];
static size_t slip_len;

static int setup(void **state)
{
    (void)state;
    char path[1024];
    const char *src = getenv("KS_SOURCE_DIR");
    snprintf(path, sizeof path, "%s/tests/printer/golden/booking-slip-zh.bin", src ? src : ".");
    FILE *f = fopen(path, "rb");
    if (!f)
        return -1;
    slip_len = fread(slip, 1, sizeof slip, f);
    fclose(f);
    return slip_len > 0 ? 0 : -1;
}

/* The record must be the golden slip: regenerate it when the golden file changes. */
static void test_record_is_the_golden_slip(void **state)
{
    (void)state;
    char path[1024], *line = NULL;
    size_t cap = 0;
    const char *src = getenv("KS_SOURCE_DIR");
    snprintf(path, sizeof path, "%s/tests/usb/printer-slip.ioctl", src ? src : ".");
    FILE *f = fopen(path, "r");
    assert_non_null(f);
    /* The last record is the slip (before it: the status questions, DLE EOT 4 and 2). */
    while (getline(&line, &cap, f) > 0)
        ;
    fclose(f);
    const char *hex = strrchr(line, ' ') + 1;
    assert_true(strlen(hex) >= slip_len * 2);
    for (size_t i = 0; i < slip_len; i++) {
        unsigned v = 0;
        assert_int_equal(sscanf(hex + 2 * i, "%2X", &v), 1);
        if (v != slip[i])
            fail_msg("printer-slip.ioctl differs from the golden slip at byte %zu: regenerate it",
                     i);
    }
    free(line);
}

static void test_slip_reaches_the_printer(void **state)
{
    (void)state;
    if (!getenv("UMOCKDEV_DIR"))
        fail_msg("run under umockdev-run (ctest does)");
    seen_t s = SEEN_INIT;
    ks_usbprint_t *u = ks_usbprint_new(NULL, 2000);
    ks_printer_io_t io = ks_usbprint_io(u);
    ks_printer_opts_t o = {50, 1000, 0};
    ks_printer_t *p = ks_printer_new(&io, &o, notify, &s);
    assert_true(ks_printer_submit(p, slip, slip_len) > 0);
    assert_true(wait_for(&s, &s.done));
    assert_int_equal(s.failed, 0);
    ks_printer_free(p);
    ks_usbprint_free(u);
}

static void test_wrong_bytes_fail_with_a_reason(void **state)
{
    (void)state;
    if (!getenv("UMOCKDEV_DIR"))
        fail_msg("run under umockdev-run (ctest does)");
    seen_t s = SEEN_INIT;
    ks_usbprint_t *u = ks_usbprint_new(NULL, 500);
    ks_printer_io_t io = ks_usbprint_io(u);
    ks_printer_opts_t o = {50, 300, 0};
    ks_printer_t *p = ks_printer_new(&io, &o, notify, &s);
    unsigned char other[sizeof slip];
    memcpy(other, slip, slip_len);
    other[slip_len - 5] ^= 0x01; /* one bit off in the last text line */
    assert_true(ks_printer_submit(p, other, slip_len) > 0);
    assert_true(wait_for(&s, &s.failed));
    assert_int_equal(s.done, 0);
    assert_non_null(strstr(s.why, "bulk OUT"));
    ks_printer_free(p);
    ks_usbprint_free(u);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_record_is_the_golden_slip),
        cmocka_unit_test(test_slip_reaches_the_printer),
        cmocka_unit_test(test_wrong_bytes_fail_with_a_reason),
    };
    return cmocka_run_group_tests(tests, setup, NULL);
}
