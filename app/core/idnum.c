/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "idnum.h"

#include "date.h"
#include "error.h"

#include <assert.h>
#include <string.h>

#define KS_IDNUM_LEN 18

static int is_digit(char c)
{
    return c >= '0' && c <= '9';
}

/* Value of `n` decimal digits at s; the caller has checked they are digits. */
static int digits_value(const char *s, int n)
{
    int v = 0;
    for (int i = 0; i < n; i++)
        v = v * 10 + (s[i] - '0');
    return v;
}

/* Length of s capped at max + 1, so an unterminated or huge input is not scanned to its end. */
static size_t capped_len(const char *s, size_t max)
{
    size_t n = 0;
    while (n <= max && s[n] != '\0')
        n++;
    return n;
}

char ks_idnum_check_char(const char *first17)
{
    static const int weights[17] = {7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2};
    static const char map[12] = "10X98765432";
    if (!first17)
        return 0;
    int sum = 0;
    for (int i = 0; i < 17; i++) {
        if (!is_digit(first17[i]))
            return 0;
        sum += (first17[i] - '0') * weights[i];
    }
    return map[sum % 11];
}

ks_idnum_status_t ks_idnum_validate(const char *id, int today_yyyymmdd, ks_idnum_info_t *info)
{
    if (!id || capped_len(id, KS_IDNUM_LEN) != KS_IDNUM_LEN)
        return KS_IDNUM_BAD_LENGTH;
    for (int i = 0; i < 17; i++)
        if (!is_digit(id[i]))
            return KS_IDNUM_BAD_CHAR;
    char last = id[17];
    if (!is_digit(last) && last != 'X' && last != 'x')
        return KS_IDNUM_BAD_CHAR;

    int year = digits_value(id + 6, 4);
    int month = digits_value(id + 10, 2);
    int day = digits_value(id + 12, 2);
    if (year < 1900 || month < 1 || month > 12 || day < 1 || day > ks_days_in_month(year, month))
        return KS_IDNUM_BAD_DATE;
    if (today_yyyymmdd > 0 && year * 10000 + month * 100 + day > today_yyyymmdd)
        return KS_IDNUM_BAD_DATE;

    char want = ks_idnum_check_char(id);
    if (last == 'x')
        last = 'X';
    if (last != want)
        return KS_IDNUM_BAD_CHECKSUM;

    if (info) {
        info->year = year;
        info->month = month;
        info->day = day;
        info->sex = (id[16] - '0') % 2 ? KS_SEX_MALE : KS_SEX_FEMALE;
    }
    return KS_IDNUM_OK;
}

const char *ks_idnum_status_str(ks_idnum_status_t st)
{
    switch (st) {
    case KS_IDNUM_OK:
        return "valid";
    case KS_IDNUM_BAD_LENGTH:
        return "not 18 characters";
    case KS_IDNUM_BAD_CHAR:
        return "invalid character";
    case KS_IDNUM_BAD_DATE:
        return "invalid birth date";
    case KS_IDNUM_BAD_CHECKSUM:
        return "check character mismatch";
    }
    return "unknown status";
}

/*
 * Stricter than the header's minimum: an 18-byte string that is not shaped like an
 * ID number (17 digits + digit/X) is masked entirely too, so that a misread field
 * (or a multi-byte UTF-8 name in the wrong slot) never leaks 10 of its bytes or is
 * cut in the middle of a code point. A lower-case x is shown as X.
 */
int ks_idnum_mask(const char *id, char *out, size_t outlen)
{
    assert(out != NULL || outlen == 0);
    if (outlen < KS_IDNUM_LEN + 1) {
        if (outlen > 0)
            out[0] = '\0';
        return KS_E_TOOBIG;
    }
    int shaped = id && capped_len(id, KS_IDNUM_LEN) == KS_IDNUM_LEN;
    for (int i = 0; shaped && i < 17; i++)
        shaped = is_digit(id[i]);
    if (shaped)
        shaped = is_digit(id[17]) || id[17] == 'X' || id[17] == 'x';
    if (!shaped) {
        memcpy(out, "******", sizeof "******");
        return KS_OK;
    }
    memcpy(out, id, 6);
    memset(out + 6, '*', 8);
    memcpy(out + 14, id + 14, 4);
    if (out[17] == 'x')
        out[17] = 'X';
    out[18] = '\0';
    return KS_OK;
}
