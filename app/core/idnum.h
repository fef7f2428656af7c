/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Resident ID numbers (GB 11643-1999): validation, the facts they encode, and
 * masking for display. Pure C, no allocation.
 */
#ifndef KS_IDNUM_H
#define KS_IDNUM_H

#include <stddef.h>

typedef enum { KS_SEX_UNKNOWN = 0, KS_SEX_MALE = 1, KS_SEX_FEMALE = 2 } ks_sex_t;

typedef struct {
    int year, month, day; /* birth date encoded in characters 7-14 */
    ks_sex_t sex;         /* from the sequence digit: odd male, even female */
} ks_idnum_info_t;

/* Why a number was rejected (for logs: never log the number itself). */
typedef enum {
    KS_IDNUM_OK = 0,
    KS_IDNUM_BAD_LENGTH,
    KS_IDNUM_BAD_CHAR,
    KS_IDNUM_BAD_DATE,
    KS_IDNUM_BAD_CHECKSUM,
} ks_idnum_status_t;

/*
 * Validates an 18-character ID number: digits, check character (X or x),
 * a real calendar date not before 1900-01-01 and not after `today_yyyymmdd`
 * (pass 0 to skip the future check). Fills `info` (may be NULL) on success.
 */
ks_idnum_status_t ks_idnum_validate(const char *id, int today_yyyymmdd, ks_idnum_info_t *info);

/* Plain-English reason for a status, for logs. */
const char *ks_idnum_status_str(ks_idnum_status_t st);

/* Computes the check character ('0'-'9' or 'X') for the first 17 digits, or 0 if invalid. */
char ks_idnum_check_char(const char *first17);

/*
 * Writes the display form: first 6 + 8 '*' + last 4 (500381********1234).
 * Anything that is not 18 characters is masked entirely as "******".
 * Returns KS_OK or KS_E_TOOBIG when `out` is smaller than 19 bytes.
 */
int ks_idnum_mask(const char *id, char *out, size_t outlen);

#endif
