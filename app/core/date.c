/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "date.h"

int ks_year_is_leap(int y)
{
    return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

int ks_days_in_month(int y, int m)
{
    static const int days[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (m < 1 || m > 12)
        return 0;
    return m == 2 && ks_year_is_leap(y) ? 29 : days[m - 1];
}
