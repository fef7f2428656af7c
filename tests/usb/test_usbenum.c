/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * USB enumeration through the real libusb, under umockdev-run with the
 * device files in tests/usb/ (a receipt printer 0416:5011 of class 7 on its
 * interface, a CCID reader 072f:90cc); and the configured printer ids.
 * The files are written by hand from the USB descriptors (see their H: lines).
 */
#include "error.h"
#include "usbenum.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include <cmocka.h>

static const ks_usb_device_t *find(const ks_usb_device_t *d, int n, uint16_t vid, uint16_t pid)
{
    for (int i = 0; i < n; i++)
        if (d[i].vid == vid && d[i].pid == pid)
            return &d[i];
    return NULL;
}

static void test_enumerate_under_umockdev(void **state)
{
    (void)state;
    if (!getenv("UMOCKDEV_DIR"))
        fail_msg("run under umockdev-run with tests/usb/*.umockdev (ctest does)");
    ks_usb_device_t d[KS_USB_MAX_DEVICES];
    int n = ks_usb_enumerate(d, KS_USB_MAX_DEVICES, NULL);
    assert_int_equal(n, 2);
    const ks_usb_device_t *p = find(d, n, 0x0416, 0x5011);
    assert_non_null(p);
    assert_int_equal(p->device_class, 0);
    assert_int_equal(p->iface_class, 7);
    assert_int_equal(p->role, KS_USB_ROLE_PRINTER);
    assert_int_equal(p->bus, 1);
    assert_int_equal(p->address, 2);
    const ks_usb_device_t *r = find(d, n, 0x072f, 0x90cc);
    assert_non_null(r);
    assert_int_equal(r->role, KS_USB_ROLE_CARD_READER);
    /* A printer that reports a vendor class is found by its configured VID:PID. */
    ks_usb_ids_t ids;
    assert_int_equal(ks_usb_ids_parse("072f:90cc", &ids), KS_OK);
    n = ks_usb_enumerate(d, KS_USB_MAX_DEVICES, &ids);
    assert_int_equal(find(d, n, 0x072f, 0x90cc)->role, KS_USB_ROLE_PRINTER);
    /* Room for one: one, no overrun. */
    assert_int_equal(ks_usb_enumerate(d, 1, NULL), 1);
}

static void test_ids(void **state)
{
    (void)state;
    ks_usb_ids_t ids;
    assert_int_equal(ks_usb_ids_parse("04b8:0202, 0416:5011", &ids), KS_OK);
    assert_int_equal(ids.n, 2);
    assert_int_equal(ids.vid[0], 0x04b8);
    assert_int_equal(ids.pid[1], 0x5011);
    assert_int_equal(ks_usb_ids_parse("", &ids), KS_OK);
    assert_int_equal(ids.n, 0);
    ids.n = 7;
    assert_int_equal(ks_usb_ids_parse("04b8:202", &ids), KS_E_PARSE);
    assert_int_equal(ks_usb_ids_parse("04b8-0202", &ids), KS_E_PARSE);
    assert_int_equal(ks_usb_ids_parse("04b8:0202x", &ids), KS_E_PARSE);
    assert_int_equal(ks_usb_ids_parse("zz04:0202", &ids), KS_E_PARSE);
    assert_int_equal(ids.n, 7); /* nothing stored on error */
    assert_int_equal(ks_usb_role(1, 2, 9, 0, NULL), KS_USB_ROLE_HUB);
    assert_int_equal(ks_usb_role(1, 2, 0, 0xff, NULL), KS_USB_ROLE_OTHER);
    assert_string_equal(ks_usb_role_name(KS_USB_ROLE_CARD_READER), "card-reader");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_ids),
        cmocka_unit_test(test_enumerate_under_umockdev),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
