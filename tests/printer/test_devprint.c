/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The character-device transport (usblp's /dev/usb/lp0) through the real
 * print queue: the node is a file in a temporary directory that the test
 * removes and puts back, as unplugging and plugging the printer does.
 */
#include "devprint.h"
#include "error.h"
#include "printer.h"
#include "print_seen.h"

#include <fcntl.h>
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

static size_t slurp(const char *path, unsigned char *buf, size_t max)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return 0;
    size_t n = fread(buf, 1, max, f);
    fclose(f);
    return n;
}

static void test_missing_node_is_not_connected(void **state)
{
    (void)state;
    ks_devprint_t *d = ks_devprint_new("/nonexistent/usb/lp0", 100);
    assert_non_null(d);
    ks_printer_io_t io = ks_devprint_io(d);
    char why[128];
    assert_int_equal(io.open(io.ctx, why, sizeof why), KS_E_NOTFOUND);
    assert_string_equal(why, "/nonexistent/usb/lp0: printer not connected");
    ks_devprint_free(d);
    assert_null(ks_devprint_new("", 100));
}

static void test_unplugged_then_back(void **state)
{
    (void)state;
    char dir[] = "/tmp/ks-devprint-XXXXXX", node[64];
    assert_non_null(mkdtemp(dir));
    snprintf(node, sizeof node, "%s/lp0", dir);
    ks_devprint_t *d = ks_devprint_new(node, 1000);
    ks_printer_io_t io = ks_devprint_io(d);
    seen_t s = SEEN_INIT;
    ks_printer_opts_t o = {20, 5000, 0};
    ks_printer_t *p = ks_printer_new(&io, &o, notify, &s);
    const unsigned char slip[] = {0x1B, '@', 0xD4, 0xA4, 0xD4, 0xBC, 0x0A, 0x1D, 'V', 66, 0};
    assert_true(ks_printer_submit(p, slip, sizeof slip) > 0);
    /* No node: the job waits, the citizen is told, staff get the reason. */
    assert_true(wait_for(&s, &s.retrying));
    assert_non_null(strstr(s.why, "printer not connected"));
    /* Plugged in: udev makes the node; the job reaches it whole. */
    int fd = open(node, O_CREAT | O_WRONLY, 0600);
    assert_true(fd >= 0);
    close(fd);
    assert_true(wait_for(&s, &s.done));
    unsigned char got[64];
    assert_int_equal(slurp(node, got, sizeof got), sizeof slip);
    assert_memory_equal(got, slip, sizeof slip);
    ks_printer_free(p);
    ks_devprint_free(d);
    unlink(node);
    rmdir(dir);
}

/* Unplugged after a job, the idle rescan sees the node gone (it is opened afresh each time). */
static void test_unplug_seen_when_idle(void **state)
{
    (void)state;
    char dir[] = "/tmp/ks-devprint-XXXXXX", node[64];
    assert_non_null(mkdtemp(dir));
    snprintf(node, sizeof node, "%s/lp0", dir);
    int fd = open(node, O_CREAT | O_WRONLY, 0600);
    assert_true(fd >= 0);
    close(fd);
    ks_devprint_t *d = ks_devprint_new(node, 1000);
    ks_printer_io_t io = ks_devprint_io(d);
    seen_t s = SEEN_INIT;
    ks_printer_opts_t o = {20, 5000, 20};
    ks_printer_t *p = ks_printer_new(&io, &o, notify, &s);
    const unsigned char slip[] = {0x1B, '@', 'X', 0x0A};
    assert_true(ks_printer_submit(p, slip, sizeof slip) > 0);
    assert_true(wait_for(&s, &s.done));
    unlink(node);
    ks_printer_status_t st = {0};
    for (int i = 0; i < 500; i++) {
        ks_printer_status(p, &st);
        if (st.connected == 0)
            break;
        usleep(10000);
    }
    assert_int_equal(st.connected, 0);
    assert_non_null(strstr(st.why, "printer not connected"));
    ks_printer_free(p);
    ks_devprint_free(d);
    rmdir(dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_missing_node_is_not_connected),
        cmocka_unit_test(test_unplugged_then_back),
        cmocka_unit_test(test_unplug_seen_when_idle),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
