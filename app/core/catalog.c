/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * String catalogue (see catalog.h). Entries are kept in file order in an
 * array (for ks_catalog_key_at) and indexed by an open-addressing hash table
 * (for lookups every frame). The file is read through inifile.h, so a text
 * longer than libinih's line buffer is an error rather than silently cut.
 */
#include "catalog.h"

#include "error.h"
#include "inifile.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct {
    char *key; /* "section.key" */
    char *value;
    int line;
} entry_t;

struct ks_catalog {
    entry_t *entries; /* file order */
    size_t count, cap;
    size_t *slots; /* entry index + 1; 0 = empty. nslots is a power of two. */
    size_t nslots;
    const ks_catalog_t *fallback;
};

static uint64_t hash_str(const char *s)
{
    /* FNV-1a: keys are short ASCII identifiers, nothing adversarial. */
    uint64_t h = 1469598103934665603ULL;
    for (; *s != '\0'; s++) {
        h ^= (unsigned char)*s;
        h *= 1099511628211ULL;
    }
    return h;
}

/* Index of the entry for key, or SIZE_MAX. */
static size_t find(const ks_catalog_t *cat, const char *key)
{
    if (cat->nslots == 0)
        return SIZE_MAX;
    size_t mask = cat->nslots - 1;
    for (size_t i = (size_t)hash_str(key) & mask;; i = (i + 1) & mask) {
        size_t slot = cat->slots[i];
        if (slot == 0)
            return SIZE_MAX;
        if (strcmp(cat->entries[slot - 1].key, key) == 0)
            return slot - 1;
    }
}

static void place(size_t *slots, size_t nslots, const char *key, size_t index)
{
    size_t mask = nslots - 1;
    size_t i = (size_t)hash_str(key) & mask;
    while (slots[i] != 0)
        i = (i + 1) & mask;
    slots[i] = index + 1;
}

/* Keeps the table at most half full so probe chains stay short. */
static int grow_slots(ks_catalog_t *cat)
{
    if ((cat->count + 1) * 2 <= cat->nslots)
        return 0;
    size_t n = cat->nslots != 0 ? cat->nslots * 2 : 64;
    size_t *slots = calloc(n, sizeof *slots);
    if (slots == NULL)
        return -1;
    for (size_t i = 0; i < cat->count; i++)
        place(slots, n, cat->entries[i].key, i);
    free(cat->slots);
    cat->slots = slots;
    cat->nslots = n;
    return 0;
}

static int add_entry(ks_catalog_t *cat, char *key, char *value, int line)
{
    if (cat->count == cat->cap) {
        size_t cap = cat->cap != 0 ? cat->cap * 2 : 64;
        entry_t *e = realloc(cat->entries, cap * sizeof *e);
        if (e == NULL)
            return -1;
        cat->entries = e;
        cat->cap = cap;
    }
    if (grow_slots(cat) != 0)
        return -1;
    cat->entries[cat->count] = (entry_t){key, value, line};
    place(cat->slots, cat->nslots, key, cat->count);
    cat->count++;
    return 0;
}

/*
 * Copy of value with each two-character "\n" turned into a line break and each
 * "\|" into U+200B, a preferred break for the line breaker (see linebreak.h).
 */
static char *unescape(const char *value)
{
    /* "\|" (2 bytes) becomes 3 bytes: never more than 3/2 of the input. */
    char *out = malloc(strlen(value) * 3 / 2 + 1);
    if (out == NULL)
        return NULL;
    char *o = out;
    for (const char *v = value; *v != '\0'; v++) {
        if (v[0] == '\\' && v[1] == 'n') {
            *o++ = '\n';
            v++;
        } else if (v[0] == '\\' && v[1] == '|') {
            memcpy(o, "\xE2\x80\x8B", 3);
            o += 3;
            v++;
        } else {
            *o++ = *v;
        }
    }
    *o = '\0';
    return out;
}

static int on_value(void *user, ks_ini_t *ini, const char *section, const char *name,
                    const char *value)
{
    ks_catalog_t *cat = user;

    /* A key before any [section] keeps its bare name. */
    size_t slen = strlen(section), nlen = strlen(name);
    char *key = malloc(slen + 1 + nlen + 1);
    if (key == NULL)
        return KS_E_NOMEM;
    if (slen > 0)
        snprintf(key, slen + 1 + nlen + 1, "%s.%s", section, name);
    else
        memcpy(key, name, nlen + 1);

    size_t prev = find(cat, key);
    if (prev != SIZE_MAX) {
        ks_ini_fail(ini, "duplicate key '%s' (first defined on line %d)", key,
                    cat->entries[prev].line);
        free(key);
        return KS_E_PARSE;
    }
    char *text = unescape(value);
    if (text == NULL || add_entry(cat, key, text, ks_ini_line(ini)) != 0) {
        free(text);
        free(key);
        return KS_E_NOMEM;
    }
    return KS_OK;
}

static const ks_ini_spec_t catalog_ini = {
    .on_value = on_value,
    .on_section = NULL,
    .syntax_error = "syntax error (expected [section] or key = text)",
};

ks_catalog_t *ks_catalog_load(const char *path, const ks_catalog_t *fallback, char *err,
                              size_t errlen)
{
    if (err != NULL && errlen > 0)
        err[0] = '\0';
    if (path == NULL)
        return NULL;

    ks_catalog_t *cat = calloc(1, sizeof *cat);
    if (cat == NULL) {
        if (err != NULL && errlen > 0)
            snprintf(err, errlen, "%s: out of memory", path);
        return NULL;
    }
    cat->fallback = fallback;
    if (ks_ini_parse(path, &catalog_ini, cat, err, errlen) != KS_OK) {
        ks_catalog_free(cat);
        return NULL;
    }
    return cat;
}

void ks_catalog_free(ks_catalog_t *cat)
{
    if (cat == NULL)
        return;
    for (size_t i = 0; i < cat->count; i++) {
        free(cat->entries[i].key);
        free(cat->entries[i].value);
    }
    free(cat->entries);
    free(cat->slots);
    free(cat);
}

const char *ks_catalog_get(const ks_catalog_t *cat, const char *key)
{
    if (key == NULL)
        return "";
    for (const ks_catalog_t *c = cat; c != NULL; c = c->fallback) {
        size_t i = find(c, key);
        if (i != SIZE_MAX)
            return c->entries[i].value;
    }
    return key;
}

int ks_catalog_has(const ks_catalog_t *cat, const char *key)
{
    return cat != NULL && key != NULL && find(cat, key) != SIZE_MAX;
}

size_t ks_catalog_count(const ks_catalog_t *cat)
{
    return cat != NULL ? cat->count : 0;
}

const char *ks_catalog_key_at(const ks_catalog_t *cat, size_t i)
{
    if (cat == NULL || i >= cat->count)
        return NULL;
    return cat->entries[i].key;
}

/* Value for the placeholder name[0..len) among NULL-terminated name/value pairs, or NULL. */
static const char *lookup_arg(va_list ap, const char *name, size_t len)
{
    for (;;) {
        const char *n = va_arg(ap, const char *);
        if (n == NULL)
            return NULL;
        const char *v = va_arg(ap, const char *);
        if (strncmp(n, name, len) == 0 && n[len] == '\0')
            return v != NULL ? v : "";
    }
}

/* Shortens s[0..len) so it does not end inside a UTF-8 sequence. */
static size_t utf8_trim(const char *s, size_t len)
{
    size_t i = len, cont = 0;
    while (i > 0 && cont < 3 && ((unsigned char)s[i - 1] & 0xC0) == 0x80) {
        i--;
        cont++;
    }
    if (i == 0)
        return len;
    unsigned char lead = (unsigned char)s[i - 1];
    size_t need = lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : lead >= 0xC0 ? 2 : 1;
    if (need > 1 && cont + 1 < need)
        return i - 1;
    return len;
}

int ks_catalog_format(char *out, size_t outlen, const char *tmpl, ...)
{
    if (out == NULL || outlen == 0)
        return KS_E_TOOBIG;
    if (tmpl == NULL) {
        out[0] = '\0';
        return KS_OK;
    }

    va_list ap;
    va_start(ap, tmpl);
    size_t pos = 0;
    int truncated = 0;
    const char *t = tmpl;
    while (*t != '\0' && !truncated) {
        const char *piece = t;
        size_t plen = 1;
        const char *next = t + 1;
        if (*t == '{') {
            size_t nlen = strcspn(t + 1, "{}");
            if (t[1 + nlen] == '}') {
                va_list scan;
                va_copy(scan, ap);
                const char *v = lookup_arg(scan, t + 1, nlen);
                va_end(scan);
                if (v != NULL) {
                    piece = v;
                    plen = strlen(v);
                    next = t + 1 + nlen + 1;
                }
            }
        }
        size_t room = outlen - 1 - pos;
        if (plen > room) {
            plen = room;
            truncated = 1;
        }
        memcpy(out + pos, piece, plen);
        pos += plen;
        t = next;
    }
    va_end(ap);

    if (truncated)
        pos = utf8_trim(out, pos);
    out[pos] = '\0';
    return truncated ? KS_E_TOOBIG : KS_OK;
}
