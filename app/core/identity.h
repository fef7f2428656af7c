/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The identity of a citizen as read from a card. Personal data: it lives only
 * inside the session (and transiently in events), and is wiped with
 * ks_identity_wipe() on every path that drops it.
 */
#ifndef KS_IDENTITY_H
#define KS_IDENTITY_H

#include "idnum.h"

#include <string.h>

typedef struct {
    char name[96];        /* UTF-8, trimmed */
    char idnum[20];       /* 18-character resident ID number, NUL-terminated */
    char card_number[32]; /* social security card number */
    char nation[32];      /* UTF-8 */
    ks_sex_t sex;
    int birth_yyyymmdd;
} ks_identity_t;

/* Overwrites every byte of the identity in a way the compiler may not elide. */
static inline void ks_identity_wipe(ks_identity_t *id)
{
    explicit_bzero(id, sizeof *id);
}

#endif
