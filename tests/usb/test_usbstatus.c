/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Paper and cover through DLE EOT over the libusb transport, under
 * umockdev-run with tests/usb/printer.umockdev and tests/usb/printer-status.ioctl:
 * the printer answers DLE EOT 4 with 0x72 (roll paper end) and DLE EOT 2 with
 * 0x36 (cover open, stopped for paper end), bytes as real ESC/POS printers
 * send them.
 */
#include "error.h"
#include "printer.h"
#include "usbprint.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include <cmocka.h>

static void test_paper_end_and_cover_open(void **state)
{
    (void)state;
    if (!getenv("UMOCKDEV_DIR"))
        fail_msg("run under umockdev-run (ctest does)");
    ks_usbprint_t *u = ks_usbprint_new(NULL, 1000);
    ks_printer_io_t io = ks_usbprint_io(u);
    char why[256] = "";
    assert_int_equal(io.open(io.ctx, why, sizeof why), KS_OK);
    assert_non_null(io.status);
    ks_printer_status_t st = {0};
    assert_int_equal(io.status(io.ctx, &st, why, sizeof why), KS_OK);
    assert_int_equal(st.paper, KS_PAPER_OUT);
    assert_int_equal(st.cover, KS_COVER_OPEN);
    assert_string_equal(ks_paper_name(st.paper), "out");
    assert_string_equal(ks_cover_name(st.cover), "open");
    io.close(io.ctx);
    ks_usbprint_free(u);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_paper_end_and_cover_open),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
