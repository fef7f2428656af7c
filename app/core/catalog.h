/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The catalogue of citizen-facing strings: assets/strings/<lang>.ini, where
 * [section] key = text becomes "section.key". "\n" in a value is a line break;
 * "\|" marks where a line should break if it must (U+200B, see linebreak.h).
 * Lookups fall back to the primary language (zh_CN), then to the key itself,
 * so a missing translation shows something rather than nothing.
 */
#ifndef KS_CATALOG_H
#define KS_CATALOG_H

#include <stddef.h>

typedef struct ks_catalog ks_catalog_t;

/*
 * Loads one language file. Returns NULL on error with "path:line: message" in err.
 * `fallback` (may be NULL) is consulted for missing keys; it must outlive the result.
 */
ks_catalog_t *ks_catalog_load(const char *path, const ks_catalog_t *fallback, char *err,
                              size_t errlen);
void ks_catalog_free(ks_catalog_t *cat);

/* Text for a key; never NULL (falls back as described above). */
const char *ks_catalog_get(const ks_catalog_t *cat, const char *key);

/* 1 when the key is defined in this catalogue itself (not through fallback). */
int ks_catalog_has(const ks_catalog_t *cat, const char *key);

/* Number of keys and the i-th key (in file order), for completeness checks. */
size_t ks_catalog_count(const ks_catalog_t *cat);
const char *ks_catalog_key_at(const ks_catalog_t *cat, size_t i);

/*
 * Substitutes {name} placeholders in `tmpl` from NULL-terminated name/value
 * pairs: ks_catalog_format(buf, n, "{sec} 秒", "sec", "20", NULL).
 * Unknown placeholders are kept verbatim. Returns KS_OK or KS_E_TOOBIG
 * (output truncated but NUL-terminated).
 */
int ks_catalog_format(char *out, size_t outlen, const char *tmpl, ...);

#endif
