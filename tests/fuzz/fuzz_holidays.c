/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * libFuzzer target: the holiday file parser (ks_holidays_parse, the bytes of
 * ks_holidays_load_file). Accepted lists must be what the calendar relies on:
 * both arrays sorted and disjoint, every date valid, every make-up working day
 * a Saturday or Sunday, ks_workday_is agreeing with them; a refusal names its
 * line ("line N: ..." with N ≥ 1) and leaves the list empty; the file loader
 * reaches the same verdict and list.
 */
#include "calendar.h"
#include "error.h"
#include "fuzz_common.h"
#include "marriage.h"

#include <stdlib.h>
#include <string.h>

static void check_list(const ks_holidays_t *h)
{
    if (h->n_off < 0 || h->n_off > KS_HOLIDAYS_MAX || h->n_work < 0 || h->n_work > KS_HOLIDAYS_MAX)
        __builtin_trap();
    for (int i = 0; i < h->n_off; i++) {
        if (!ks_date_valid(h->off[i]) || (i > 0 && h->off[i - 1] >= h->off[i]) ||
            ks_workday_is(h->off[i], h))
            __builtin_trap();
    }
    for (int i = 0; i < h->n_work; i++) {
        if (!ks_date_valid(h->work[i]) || (i > 0 && h->work[i - 1] >= h->work[i]) ||
            ks_date_weekday(h->work[i]) < 6 || !ks_workday_is(h->work[i], h))
            __builtin_trap();
    }
    /* The booking rules on the list: a window is well-ordered, its first day a working day. */
    int today = h->n_off ? h->off[0] : 20260101;
    int first = 0, last = 0;
    int rc = ks_marriage_window(today, 2, 30, h, &first, &last);
    if (rc == KS_OK &&
        (!ks_workday_is(first, h) || first <= today || last != ks_date_add(today, 30)))
        __builtin_trap();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    /* An exact-size copy, not NUL-terminated: the parser must respect the length. */
    char *buf = malloc(size ? size : 1);
    ks_holidays_t *h = malloc(sizeof *h);
    ks_holidays_t *g = malloc(sizeof *g);
    if (!buf || !h || !g)
        goto out;
    memcpy(buf, data, size);
    char err[200] = "";
    int rc = ks_holidays_parse(buf, size, h, err, sizeof err);
    if (strlen(err) >= sizeof err || (rc < 0) != (err[0] != '\0'))
        __builtin_trap();
    if (rc == KS_OK)
        check_list(h);
    else if (rc != KS_E_PARSE || strncmp(err, "line ", 5) != 0 || atoi(err + 5) < 1 ||
             h->n_off != 0 || h->n_work != 0)
        __builtin_trap();
    char path[64];
    int fd = size <= 64 * 1024 ? ks_fuzz_memfile(data, size, path, sizeof path) : -1;
    if (fd >= 0) {
        char err2[300];
        int rc2 = ks_holidays_load_file(path, g, err2, sizeof err2);
        close(fd);
        if (rc2 != rc || (rc == KS_OK && memcmp(h, g, sizeof *h) != 0))
            __builtin_trap();
        if (rc2 < 0 && strncmp(err2, path, strlen(path)) != 0)
            __builtin_trap();
    }
out:
    free(g);
    free(h);
    free(buf);
    return 0;
}
