/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "words.h"

#include "calendar.h"

#include <stdio.h>
#include <string.h>

void ks_words_date(const ks_catalog_t *cat, const char *date, char *out, size_t outlen)
{
    int y = 0, mo = 0, d = 0;
    if (!date || sscanf(date, "%4d-%2d-%2d", &y, &mo, &d) != 3 || mo < 1 || mo > 12) {
        snprintf(out, outlen, "%s", date ? date : "");
        return;
    }
    char ys[16], ms[16], ds[16];
    snprintf(ys, sizeof ys, "%d", y);
    snprintf(ms, sizeof ms, "%d", mo);
    snprintf(ds, sizeof ds, "%d", d);
    static const char *const months[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                         "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
    ks_catalog_format(out, outlen, ks_catalog_get(cat, "common.date"), "y", ys, "m", ms, "d", ds,
                      "mon", months[mo - 1], (const char *)NULL);
}

/* "9:00" from "…T09:00:00+08:00", or "". */
static void hour_minute(const char *t, char out[8])
{
    out[0] = '\0';
    if (t && strlen(t) >= 16) {
        if (t[11] == '0')
            snprintf(out, 8, "%.4s", t + 12); /* 09:00 → 9:00 */
        else
            snprintf(out, 8, "%.5s", t + 11);
    }
}

void ks_words_when(const ks_catalog_t *cat, const char *start, const char *end, char *out,
                   size_t outlen)
{
    char date[64], wd[32] = "", from[8], to[8];
    ks_words_date(cat, start, date, sizeof date);
    int d = 0;
    if (start && strlen(start) >= 10 && ks_date_parse(start, 10, &d) == 0) {
        static const char *const keys[] = {"marry.wd_1", "marry.wd_2", "marry.wd_3", "marry.wd_4",
                                           "marry.wd_5", "marry.wd_6", "marry.wd_7"};
        int w = ks_date_weekday(d);
        if (w >= 1 && w <= 7)
            snprintf(wd, sizeof wd, "%s", ks_catalog_get(cat, keys[w - 1]));
    }
    hour_minute(start, from);
    hour_minute(end, to);
    ks_catalog_format(out, outlen, ks_catalog_get(cat, "marry.when"), "date", date, "weekday", wd,
                      "from", from, "to", to, (const char *)NULL);
}
