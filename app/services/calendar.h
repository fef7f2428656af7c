/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Civil dates and working days for the booking rules. A date is an int
 * YYYYMMDD (as in ks_identity_t.birth_yyyymmdd), valid from 1900-01-01 to
 * 9999-12-31; 0 means "no date". Arithmetic goes through a day number (days
 * since 1970-01-01) with integer civil-from-days maths: no mktime, no time
 * zones. Times are China Standard Time (UTC+08:00, no daylight saving since
 * 1991), the only clock the kiosk and the district backend share.
 *
 * Working days are Monday..Friday, minus the official holidays, plus the
 * make-up working weekend days (调休) of the holiday list: config/holidays.txt,
 * maintained by the bureau each year from the State Council's notice.
 * Plain C, no SDL, no allocation.
 */
#ifndef KS_CALENDAR_H
#define KS_CALENDAR_H

#include "date.h" /* ks_year_is_leap, ks_days_in_month */

#include <stddef.h>

#define KS_DATE_MIN 19000101
#define KS_DATE_MAX 99991231

/* What ks_date_to_days and ks_date_diff return for an invalid date. */
#define KS_DAYS_INVALID (-2147483647 - 1)

/* 1 when d is a real calendar date within KS_DATE_MIN..KS_DATE_MAX, else 0. */
int ks_date_valid(int d);

/* The date y-m-d, or 0 when it is not a valid date. */
int ks_date_make(int y, int m, int d);

/* Days since 1970-01-01 (negative before it), or KS_DAYS_INVALID. */
int ks_date_to_days(int d);

/* The date of a day number, or 0 outside KS_DATE_MIN..KS_DATE_MAX. */
int ks_date_from_days(int days);

/* d + n days (n may be negative), or 0 when d is invalid or the result is out of range. */
int ks_date_add(int d, int n);

/* to − from in days, or KS_DAYS_INVALID when either date is invalid. */
int ks_date_diff(int from, int to);

/* ISO weekday: 1 Monday .. 7 Sunday, or KS_E_INVAL for an invalid date. */
int ks_date_weekday(int d);

/*
 * Parses exactly "YYYY-MM-DD" (len bytes, need not be NUL-terminated): 0 with
 * the date in *out, or KS_E_PARSE (shape) / KS_E_RANGE (no such date).
 */
int ks_date_parse(const char *s, size_t len, int *out);

/* Writes "YYYY-MM-DD" (11 bytes with the NUL). KS_E_INVAL for an invalid date, KS_E_TOOBIG. */
int ks_date_format(int d, char *out, size_t outlen);

/* A moment in China Standard Time, to the minute. */
typedef struct {
    int date;   /* YYYYMMDD */
    int minute; /* of the day, 0..1439 */
} ks_datetime_t;

/* Minutes since 1970-01-01 00:00 CST in *out: 0, or KS_E_INVAL for an invalid moment. */
int ks_datetime_minutes(const ks_datetime_t *t, long long *out);

/*
 * The CST moment of a Unix time in seconds (the kiosk clock, the server's
 * server_time): 0, or KS_E_RANGE outside the date range.
 */
int ks_datetime_from_unix(long long unix_s, ks_datetime_t *out);

/*
 * Parses a backend time "YYYY-MM-DDTHH:MM:SS+HH:MM" (docs/backend-api.md) and
 * converts it to CST by offset arithmetic (a "+08:00" time is taken as it is).
 * Seconds are dropped. 0, or KS_E_PARSE / KS_E_RANGE.
 */
int ks_datetime_parse(const char *s, ks_datetime_t *out);

/* ---- holidays and working days -------------------------------------------- */

#define KS_HOLIDAYS_MAX 400 /* per list: enough for several years */

/*
 * The holiday list: both arrays sorted ascending, no date in both. `off` are
 * days off (法定节假日 and the days bridged to them, weekend days allowed);
 * `work` are make-up working days (调休), always a Saturday or Sunday.
 * A zeroed struct is an empty list (working days = Monday..Friday).
 */
typedef struct {
    int n_off;
    int off[KS_HOLIDAYS_MAX];
    int n_work;
    int work[KS_HOLIDAYS_MAX];
} ks_holidays_t;

/*
 * Adds one date: a day off (workday 0) or a make-up working day (workday 1).
 * 0, or KS_E_INVAL (invalid date), KS_E_RANGE (a make-up working day that is
 * not a Saturday or Sunday), KS_E_STATE (the date is already listed, in
 * either list), KS_E_TOOBIG (the list is full). The list is unchanged on error.
 */
int ks_holidays_add(ks_holidays_t *h, int date, int workday);

/*
 * Parses a holiday file of len bytes (need not be NUL-terminated):
 *   # comment
 *   2026-10-01 holiday      # a day off
 *   2026-10-10 workday      # a make-up working Saturday
 * One date and one word per line, separated by spaces or tabs, in any order;
 * blank lines and "#" comments (whole-line or trailing) are ignored; CRLF is
 * accepted. Strict: any other line (a bad date, another word, extra text, a
 * date listed twice, a "workday" on a weekday, a NUL byte, a line over 200
 * bytes) is KS_E_PARSE with "line N: reason" in err, and *out is empty.
 */
int ks_holidays_parse(const char *buf, size_t len, ks_holidays_t *out, char *err, size_t errlen);

/*
 * ks_holidays_parse on a file's contents; errors are "path:N: reason" (or
 * "path: reason" for a missing or unreadable file, KS_E_IO; over 64 KiB,
 * KS_E_TOOBIG). On error *out is empty.
 */
int ks_holidays_load_file(const char *path, ks_holidays_t *out, char *err, size_t errlen);

/*
 * 1 when d is a working day: a make-up working day, or Monday..Friday and not a
 * day off. h may be NULL (no holidays). 0 for an invalid date.
 */
int ks_workday_is(int d, const ks_holidays_t *h);

/*
 * The n-th working day after d (n ≥ 1; d itself never counts), or d for n = 0.
 * 0 when d is invalid, n < 0, or no such day within the date range.
 */
int ks_workday_nth_after(int d, int n, const ks_holidays_t *h);

#endif
