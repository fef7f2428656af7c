/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The server's clock and calendar. Dates are days since 1970-01-01 in the
 * district's time zone (UTC+8, no daylight saving), which keeps the slot and
 * window rules plain integer arithmetic.
 */
#include "sim.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

static atomic_llong time_offset;

long long sim_now(void)
{
    return (long long)time(NULL) + atomic_load(&time_offset);
}

void sim_set_offset(long long seconds)
{
    atomic_store(&time_offset, seconds);
}

long long sim_get_offset(void)
{
    return atomic_load(&time_offset);
}

static long long floor_div(long long a, long long b)
{
    long long q = a / b;
    return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q;
}

int sim_today(void)
{
    return (int)floor_div(sim_now() + SIM_TZ_OFFSET, 86400);
}

/* The proleptic Gregorian calendar counted in 400-year eras from 0000-03-01. */
int sim_days_from_ymd(int y, int m, int d)
{
    y -= m <= 2;
    int era = (y >= 0 ? y : y - 399) / 400;
    int yoe = y - era * 400;
    int doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
    int doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

void sim_ymd_from_days(int days, int *y, int *m, int *d)
{
    int z = days + 719468;
    int era = (z >= 0 ? z : z - 146096) / 146097;
    int doe = z - era * 146097;
    int yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    int doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    int mp = (5 * doy + 2) / 153;
    *d = doy - (153 * mp + 2) / 5 + 1;
    *m = mp < 10 ? mp + 3 : mp - 9;
    *y = yoe + era * 400 + (*m <= 2);
}

int sim_weekday(int days)
{
    /* 1970-01-01 was a Thursday (3 counting from Monday = 0). */
    return (int)(((days + 3) % 7 + 7) % 7);
}

int sim_parse_date(const char *s, int *days)
{
    if (!s || strlen(s) != 10 || s[4] != '-' || s[7] != '-')
        return -1;
    for (int i = 0; i < 10; i++) {
        if (i != 4 && i != 7 && (s[i] < '0' || s[i] > '9'))
            return -1;
    }
    int y = (s[0] - '0') * 1000 + (s[1] - '0') * 100 + (s[2] - '0') * 10 + (s[3] - '0');
    int m = (s[5] - '0') * 10 + (s[6] - '0');
    int d = (s[8] - '0') * 10 + (s[9] - '0');
    if (y < 1900 || m < 1 || m > 12 || d < 1 || d > 31)
        return -1;
    int v = sim_days_from_ymd(y, m, d);
    int yy, mm, dd;
    sim_ymd_from_days(v, &yy, &mm, &dd);
    if (yy != y || mm != m || dd != d)
        return -1; /* 2026-02-30 and the like */
    *days = v;
    return 0;
}

void sim_format_date(int days, char out[11])
{
    int y, m, d;
    sim_ymd_from_days(days, &y, &m, &d);
    char tmp[64]; /* wide enough for any int, so the compiler sees no truncation */
    snprintf(tmp, sizeof tmp, "%04d-%02d-%02d", y % 10000, m, d);
    snprintf(out, 11, "%.10s", tmp);
}

void sim_format_time(long long unix_s, char out[26])
{
    long long local = unix_s + SIM_TZ_OFFSET;
    int days = (int)floor_div(local, 86400);
    long long sec = local - (long long)days * 86400;
    int y, m, d;
    sim_ymd_from_days(days, &y, &m, &d);
    char tmp[96];
    snprintf(tmp, sizeof tmp, "%04d-%02d-%02dT%02d:%02d:%02d+08:00", y % 10000, m, d,
             (int)(sec / 3600), (int)(sec / 60 % 60), (int)(sec % 60));
    snprintf(out, 26, "%.25s", tmp);
}

long long sim_local_unix(int days, int minutes)
{
    return (long long)days * 86400 + minutes * 60LL - SIM_TZ_OFFSET;
}

int sim_age_on(int by, int bm, int bd, int days)
{
    int y, m, d;
    sim_ymd_from_days(days, &y, &m, &d);
    int age = y - by;
    if (m < bm || (m == bm && d < bd))
        age--; /* birthday not reached yet this year (29 Feb counts from 1 Mar) */
    return age;
}
