/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The Gregorian calendar's two facts every date check needs (plain C). */
#ifndef KS_DATE_H
#define KS_DATE_H

/* 1 for a leap year of the Gregorian calendar. */
int ks_year_is_leap(int y);

/* Days in month m (1..12) of year y; 0 for a month out of range. */
int ks_days_in_month(int y, int m);

#endif
