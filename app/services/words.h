/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Dates and times in the citizen's words, from a string catalogue: shared by
 * the screens and the printed slips, so both say a day the same way.
 */
#ifndef KS_WORDS_H
#define KS_WORDS_H

#include "catalog.h"

#include <stddef.h>

/* "2027年3月1日" (zh) or "1 Mar 2027" from "YYYY-MM-DD…"; the input itself when malformed. */
void ks_words_date(const ks_catalog_t *cat, const char *date, char *out, size_t outlen);

/* "2026年12月3日 星期四 9:00–10:00" from a slot's start and end times (marry.when). */
void ks_words_when(const ks_catalog_t *cat, const char *start, const char *end, char *out,
                   size_t outlen);

#endif
