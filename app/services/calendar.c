/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Dates as day numbers with Howard Hinnant's days_from_civil/civil_from_days
 * (proleptic Gregorian, exact integer maths), so no libc time function, time
 * zone or daylight-saving rule can move a day. CST is UTC+08:00 by definition.
 */
#include "calendar.h"

#include "error.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define CST_OFFSET_MIN  (8 * 60)
#define MIN_PER_DAY     (24 * 60)
#define LINE_MAX_BYTES  200
#define FILE_MAX_BYTES  (64 * 1024)
#define NTH_WORKDAY_MAX 3660 /* ks_workday_nth_after: ten years of working days at most */

/* The day numbers of KS_DATE_MIN (1900-01-01) and KS_DATE_MAX (9999-12-31). */
#define DAYS_OF_DATE_MIN (-25567)
#define DAYS_OF_DATE_MAX 2932896

int ks_date_make(int y, int m, int d)
{
    if (y < KS_DATE_MIN / 10000 || y > KS_DATE_MAX / 10000 || m < 1 || m > 12 || d < 1 ||
        d > ks_days_in_month(y, m))
        return 0;
    return y * 10000 + m * 100 + d;
}

int ks_date_valid(int d)
{
    return d > 0 && ks_date_make(d / 10000, d / 100 % 100, d % 100) == d;
}

/* Days since 1970-01-01 of a valid y-m-d (years ≥ 1900, so no negative eras). */
static int days_from_civil(int y, int m, int d)
{
    y -= m <= 2;
    int era = y / 400;
    int yoe = y - era * 400;
    int doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
    int doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

int ks_date_to_days(int d)
{
    if (!ks_date_valid(d))
        return KS_DAYS_INVALID;
    return days_from_civil(d / 10000, d / 100 % 100, d % 100);
}

int ks_date_from_days(int days)
{
    if (days < DAYS_OF_DATE_MIN || days > DAYS_OF_DATE_MAX)
        return 0;
    int z = days + 719468; /* > 0 from 1900 on */
    int era = z / 146097;
    int doe = z - era * 146097;
    int yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    int doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    int mp = (5 * doy + 2) / 153;
    int d = doy - (153 * mp + 2) / 5 + 1;
    int m = mp < 10 ? mp + 3 : mp - 9;
    int y = yoe + era * 400 + (m <= 2);
    return y * 10000 + m * 100 + d;
}

int ks_date_add(int d, int n)
{
    int days = ks_date_to_days(d);
    if (days == KS_DAYS_INVALID)
        return 0;
    long long r = (long long)days + n;
    if (r < -10000000 || r > 10000000)
        return 0;
    return ks_date_from_days((int)r);
}

int ks_date_diff(int from, int to)
{
    int a = ks_date_to_days(from), b = ks_date_to_days(to);
    if (a == KS_DAYS_INVALID || b == KS_DAYS_INVALID)
        return KS_DAYS_INVALID;
    return b - a;
}

int ks_date_weekday(int d)
{
    int days = ks_date_to_days(d);
    if (days == KS_DAYS_INVALID)
        return KS_E_INVAL;
    /* 1970-01-01 was a Thursday (4). */
    return ((days % 7 + 7) % 7 + 3) % 7 + 1;
}

static int all_digits(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (s[i] < '0' || s[i] > '9')
            return 0;
    return 1;
}

static int num(const char *s, size_t n)
{
    int v = 0;
    for (size_t i = 0; i < n; i++)
        v = v * 10 + (s[i] - '0');
    return v;
}

/* "YYYY-MM-DD" shape only (digits and dashes in place). */
static int date_shaped(const char *s, size_t len)
{
    return len == 10 && all_digits(s, 4) && s[4] == '-' && all_digits(s + 5, 2) && s[7] == '-' &&
           all_digits(s + 8, 2);
}

int ks_date_parse(const char *s, size_t len, int *out)
{
    if (!s || !out || !date_shaped(s, len))
        return KS_E_PARSE;
    int d = ks_date_make(num(s, 4), num(s + 5, 2), num(s + 8, 2));
    if (!d)
        return KS_E_RANGE;
    *out = d;
    return KS_OK;
}

int ks_date_format(int d, char *out, size_t outlen)
{
    if (!out || outlen < 11) {
        if (out && outlen)
            out[0] = '\0';
        return KS_E_TOOBIG;
    }
    out[0] = '\0';
    if (!ks_date_valid(d))
        return KS_E_INVAL;
    /* Valid dates have 4-digit years: the casts tell the compiler the widths. */
    snprintf(out, outlen, "%04u-%02u-%02u", (unsigned)(d / 10000) % 10000u,
             (unsigned)(d / 100 % 100), (unsigned)(d % 100));
    return KS_OK;
}

int ks_datetime_minutes(const ks_datetime_t *t, long long *out)
{
    if (!t || !out || t->minute < 0 || t->minute >= MIN_PER_DAY)
        return KS_E_INVAL;
    int days = ks_date_to_days(t->date);
    if (days == KS_DAYS_INVALID)
        return KS_E_INVAL;
    *out = (long long)days * MIN_PER_DAY + t->minute;
    return KS_OK;
}

/* The CST moment of minutes since the epoch (CST). */
static int from_minutes(long long m, ks_datetime_t *out)
{
    long long days = m >= 0 ? m / MIN_PER_DAY : -((-m + MIN_PER_DAY - 1) / MIN_PER_DAY);
    if (days < -100000 || days > 3000000)
        return KS_E_RANGE;
    int d = ks_date_from_days((int)days);
    if (!d)
        return KS_E_RANGE;
    out->date = d;
    out->minute = (int)(m - days * MIN_PER_DAY);
    return KS_OK;
}

int ks_datetime_from_unix(long long unix_s, ks_datetime_t *out)
{
    if (!out)
        return KS_E_INVAL;
    if (unix_s < -5000000000LL || unix_s > 300000000000LL)
        return KS_E_RANGE;
    long long m = unix_s >= 0 ? unix_s / 60 : -((-unix_s + 59) / 60);
    return from_minutes(m + CST_OFFSET_MIN, out);
}

int ks_datetime_parse(const char *s, ks_datetime_t *out)
{
    if (!s || !out)
        return KS_E_INVAL;
    size_t len = strnlen(s, 26);
    if (len != 25 || !date_shaped(s, 10) || s[10] != 'T' || !all_digits(s + 11, 2) ||
        s[13] != ':' || !all_digits(s + 14, 2) || s[16] != ':' || !all_digits(s + 17, 2) ||
        (s[19] != '+' && s[19] != '-') || !all_digits(s + 20, 2) || s[22] != ':' ||
        !all_digits(s + 23, 2))
        return KS_E_PARSE;
    int date = 0;
    if (ks_date_parse(s, 10, &date) < 0)
        return KS_E_RANGE;
    int hh = num(s + 11, 2), mm = num(s + 14, 2), ss = num(s + 17, 2);
    int oh = num(s + 20, 2), om = num(s + 23, 2);
    if (hh > 23 || mm > 59 || ss > 60 || oh > 14 || om > 59)
        return KS_E_RANGE;
    int offset = (s[19] == '+' ? 1 : -1) * (oh * 60 + om);
    ks_datetime_t local = {date, hh * 60 + mm};
    long long m = 0;
    if (ks_datetime_minutes(&local, &m) < 0)
        return KS_E_RANGE;
    return from_minutes(m - offset + CST_OFFSET_MIN, out);
}

/* ---- holidays -------------------------------------------------------------- */

/* Index of d in the sorted a[0..n), or −(insertion point) − 1. */
static int find(const int *a, int n, int d)
{
    int lo = 0, hi = n;
    while (lo < hi) {
        int mid = lo + (hi - lo) / 2;
        if (a[mid] < d)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo < n && a[lo] == d ? lo : -lo - 1;
}

int ks_holidays_add(ks_holidays_t *h, int date, int workday)
{
    if (!h || !ks_date_valid(date))
        return KS_E_INVAL;
    if (workday && ks_date_weekday(date) < 6)
        return KS_E_RANGE;
    if (find(h->off, h->n_off, date) >= 0 || find(h->work, h->n_work, date) >= 0)
        return KS_E_STATE;
    int *a = workday ? h->work : h->off;
    int *n = workday ? &h->n_work : &h->n_off;
    if (*n >= KS_HOLIDAYS_MAX)
        return KS_E_TOOBIG;
    int at = -find(a, *n, date) - 1;
    memmove(a + at + 1, a + at, (size_t)(*n - at) * sizeof *a);
    a[at] = date;
    (*n)++;
    return KS_OK;
}

/* Writes "<where>N: reason" (where is "line " or "path:"), empties the list; KS_E_PARSE. */
static int line_error(ks_holidays_t *out, char *err, size_t errlen, const char *path, int line,
                      const char *fmt, ...) __attribute__((format(printf, 6, 7)));

static int line_error(ks_holidays_t *out, char *err, size_t errlen, const char *path, int line,
                      const char *fmt, ...)
{
    memset(out, 0, sizeof *out);
    if (!err || !errlen)
        return KS_E_PARSE;
    char why[160];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(why, sizeof why, fmt, ap);
    va_end(ap);
    if (path)
        snprintf(err, errlen, "%s:%d: %s", path, line, why);
    else
        snprintf(err, errlen, "line %d: %s", line, why);
    return KS_E_PARSE;
}

static int is_blank(char c)
{
    return c == ' ' || c == '\t';
}

static const char *const WEEKDAY_NAMES[8] = {"",         "Monday", "Tuesday",  "Wednesday",
                                             "Thursday", "Friday", "Saturday", "Sunday"};

/* One line without its '\n' (and '\r'); 0 or KS_E_PARSE via line_error. */
static int parse_line(const char *s, size_t n, int line, ks_holidays_t *out, char *err,
                      size_t errlen, const char *path)
{
    size_t i = 0;
    while (i < n && is_blank(s[i]))
        i++;
    if (i == n || s[i] == '#')
        return KS_OK;
    size_t tok = i;
    while (i < n && !is_blank(s[i]) && s[i] != '#')
        i++;
    int date = 0;
    int rc = ks_date_parse(s + tok, i - tok, &date);
    if (rc == KS_E_RANGE)
        return line_error(out, err, errlen, path, line, "%.10s is not a date", s + tok);
    if (rc < 0)
        return line_error(out, err, errlen, path, line, "expected a date YYYY-MM-DD");
    if (i == n || !is_blank(s[i]))
        return line_error(out, err, errlen, path, line,
                          "expected \"holiday\" or \"workday\" after the date");
    while (i < n && is_blank(s[i]))
        i++;
    tok = i;
    while (i < n && !is_blank(s[i]) && s[i] != '#')
        i++;
    int workday;
    if (i - tok == 7 && memcmp(s + tok, "holiday", 7) == 0)
        workday = 0;
    else if (i - tok == 7 && memcmp(s + tok, "workday", 7) == 0)
        workday = 1;
    else
        return line_error(out, err, errlen, path, line,
                          "expected \"holiday\" or \"workday\" after the date");
    while (i < n && is_blank(s[i]))
        i++;
    if (i < n && s[i] != '#')
        return line_error(out, err, errlen, path, line, "unexpected text after \"%s\"",
                          workday ? "workday" : "holiday");

    char ds[11];
    ks_date_format(date, ds, sizeof ds);
    rc = ks_holidays_add(out, date, workday);
    if (rc == KS_E_RANGE)
        return line_error(out, err, errlen, path, line,
                          "%s is a %s: only a Saturday or Sunday can be a make-up workday", ds,
                          WEEKDAY_NAMES[ks_date_weekday(date)]);
    if (rc == KS_E_STATE)
        return line_error(out, err, errlen, path, line, "%s is listed twice", ds);
    if (rc == KS_E_TOOBIG)
        return line_error(out, err, errlen, path, line, "more than %d %s dates", KS_HOLIDAYS_MAX,
                          workday ? "workday" : "holiday");
    return rc < 0 ? line_error(out, err, errlen, path, line, "%s", ks_strerror(rc)) : KS_OK;
}

static int parse(const char *buf, size_t len, ks_holidays_t *out, char *err, size_t errlen,
                 const char *path)
{
    if (err && errlen)
        err[0] = '\0';
    if (!out)
        return KS_E_INVAL;
    memset(out, 0, sizeof *out);
    if (!buf && len)
        return KS_E_INVAL;
    size_t at = 0;
    for (int line = 1; at < len; line++) {
        const char *s = buf + at;
        const char *nl = memchr(s, '\n', len - at);
        size_t n = nl ? (size_t)(nl - s) : len - at;
        at += n + (nl != NULL);
        if (memchr(s, '\0', n))
            return line_error(out, err, errlen, path, line, "NUL byte");
        if (n > 0 && s[n - 1] == '\r')
            n--;
        if (n > LINE_MAX_BYTES)
            return line_error(out, err, errlen, path, line, "line longer than %d bytes",
                              LINE_MAX_BYTES);
        int rc = parse_line(s, n, line, out, err, errlen, path);
        if (rc < 0)
            return rc;
    }
    return KS_OK;
}

int ks_holidays_parse(const char *buf, size_t len, ks_holidays_t *out, char *err, size_t errlen)
{
    return parse(buf, len, out, err, errlen, NULL);
}

int ks_holidays_load_file(const char *path, ks_holidays_t *out, char *err, size_t errlen)
{
    if (err && errlen)
        err[0] = '\0';
    if (!out)
        return KS_E_INVAL;
    memset(out, 0, sizeof *out);
    if (!path)
        return KS_E_INVAL;
    FILE *f = fopen(path, "rb");
    if (!f) {
        if (err && errlen)
            snprintf(err, errlen, "%s: cannot open", path);
        return KS_E_IO;
    }
    char *buf = malloc(FILE_MAX_BYTES + 1);
    if (!buf) {
        fclose(f);
        return KS_E_NOMEM;
    }
    size_t len = fread(buf, 1, FILE_MAX_BYTES + 1, f);
    int bad = ferror(f);
    fclose(f);
    int rc;
    if (bad) {
        if (err && errlen)
            snprintf(err, errlen, "%s: read error", path);
        rc = KS_E_IO;
    } else if (len > FILE_MAX_BYTES) {
        if (err && errlen)
            snprintf(err, errlen, "%s: larger than %d bytes", path, FILE_MAX_BYTES);
        rc = KS_E_TOOBIG;
    } else {
        rc = parse(buf, len, out, err, errlen, path);
    }
    free(buf);
    return rc;
}

int ks_workday_is(int d, const ks_holidays_t *h)
{
    int wd = ks_date_weekday(d);
    if (wd < 0)
        return 0;
    if (h && find(h->work, h->n_work, d) >= 0)
        return 1;
    if (wd >= 6)
        return 0;
    return !(h && find(h->off, h->n_off, d) >= 0);
}

int ks_workday_nth_after(int d, int n, const ks_holidays_t *h)
{
    if (!ks_date_valid(d) || n < 0 || n > NTH_WORKDAY_MAX)
        return 0;
    /* Bounded: n ≤ NTH_WORKDAY_MAX; only weekends and KS_HOLIDAYS_MAX listed days are off. */
    while (n > 0) {
        d = ks_date_add(d, 1);
        if (!d)
            return 0;
        if (ks_workday_is(d, h))
            n--;
    }
    return d;
}
