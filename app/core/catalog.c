/*
 * String catalogue (see catalog.h). Entries are kept in file order in an
 * array (for ks_catalog_key_at) and indexed by an open-addressing hash table
 * (for lookups every frame).
 *
 * Like config.c, the file is fed to libinih through our own line reader: the
 * Debian libinih has a fixed 200-byte line buffer and would silently cut a
 * long text and parse its tail as a new line. The reader counts physical
 * lines (the handler always runs for the line just read, which gives it the
 * line number), reports over-long lines, and strips leading blanks so an
 * indented line is never glued to the previous text as a continuation.
 */
#include "catalog.h"

#include "error.h"

#include <ini.h>

#include <errno.h>
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

typedef struct {
    ks_catalog_t *cat;
    FILE *fp;
    int read_errno;
    int lineno;
    int err_line; /* first error we diagnosed, 0 if none */
    int nomem;
    char msg[256];
} parse_t;

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

static void fail(parse_t *p, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void fail(parse_t *p, const char *fmt, ...)
{
    if (p->err_line != 0)
        return;
    p->err_line = p->lineno;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(p->msg, sizeof p->msg, fmt, ap);
    va_end(ap);
}

/* fgets-style reader for ini_parse_stream(); see the comment at the top. */
static char *read_line(char *str, int num, void *stream)
{
    parse_t *p = stream;
    if (fgets(str, num, p->fp) == NULL) {
        if (ferror(p->fp))
            p->read_errno = errno != 0 ? errno : EIO;
        return NULL;
    }
    p->lineno++;

    size_t len = strlen(str);
    size_t skip = 0;
    if (p->lineno == 1 && len >= 3 && memcmp(str, "\xEF\xBB\xBF", 3) == 0)
        skip = 3;
    while (str[skip] == ' ' || str[skip] == '\t')
        skip++;

    if (len > 0 && str[len - 1] != '\n') {
        int c = fgetc(p->fp);
        if (c != EOF && c != '\n') {
            /* Drop the tail so it is not parsed as a line of its own. */
            while (c != EOF && c != '\n')
                c = fgetc(p->fp);
            /* Only a comment loses nothing by the cut. */
            if (str[skip] != ';' && str[skip] != '#')
                fail(p, "line is too long (at most %d bytes)", num - 1);
        }
    }

    if (skip > 0)
        memmove(str, str + skip, strlen(str + skip) + 1);
    return str;
}

/* Copy of value with each two-character "\n" turned into a line break. */
static char *unescape(const char *value)
{
    char *out = malloc(strlen(value) + 1);
    if (out == NULL)
        return NULL;
    char *o = out;
    for (const char *v = value; *v != '\0'; v++) {
        if (v[0] == '\\' && v[1] == 'n') {
            *o++ = '\n';
            v++;
        } else {
            *o++ = *v;
        }
    }
    *o = '\0';
    return out;
}

static int on_value(void *user, const char *section, const char *name, const char *value)
{
    parse_t *p = user;

    /* A key before any [section] keeps its bare name. */
    size_t slen = strlen(section), nlen = strlen(name);
    char *key = malloc(slen + 1 + nlen + 1);
    if (key == NULL) {
        p->nomem = 1;
        return 0;
    }
    if (slen > 0)
        snprintf(key, slen + 1 + nlen + 1, "%s.%s", section, name);
    else
        memcpy(key, name, nlen + 1);

    size_t prev = find(p->cat, key);
    if (prev != SIZE_MAX) {
        fail(p, "duplicate key '%s' (first defined on line %d)", key, p->cat->entries[prev].line);
        free(key);
        return 0;
    }
    char *text = unescape(value);
    if (text == NULL || add_entry(p->cat, key, text, p->lineno) != 0) {
        free(text);
        free(key);
        p->nomem = 1;
        return 0;
    }
    return 1;
}

ks_catalog_t *ks_catalog_load(const char *path, const ks_catalog_t *fallback, char *err,
                              size_t errlen)
{
    if (err != NULL && errlen > 0)
        err[0] = '\0';
    if (path == NULL)
        return NULL;

    parse_t p = {0};
    p.fp = fopen(path, "r");
    if (p.fp == NULL) {
        if (err != NULL && errlen > 0)
            snprintf(err, errlen, "%s: cannot open: %s", path, strerror(errno));
        return NULL;
    }
    p.cat = calloc(1, sizeof *p.cat);
    if (p.cat == NULL) {
        fclose(p.fp);
        if (err != NULL && errlen > 0)
            snprintf(err, errlen, "%s: out of memory", path);
        return NULL;
    }
    p.cat->fallback = fallback;

    int rc = ini_parse_stream(read_line, &p, on_value, &p);
    fclose(p.fp);

    int ok = 0;
    char msg[300];
    if (p.read_errno != 0)
        snprintf(msg, sizeof msg, "%s: cannot read: %s", path, strerror(p.read_errno));
    else if (p.nomem || rc == -2)
        snprintf(msg, sizeof msg, "%s: out of memory", path);
    else if (rc > 0 && (p.err_line == 0 || rc < p.err_line))
        snprintf(msg, sizeof msg, "%s:%d: syntax error (expected [section] or key = text)", path,
                 rc);
    else if (p.err_line != 0)
        snprintf(msg, sizeof msg, "%s:%d: %s", path, p.err_line, p.msg);
    else
        ok = 1;

    if (!ok) {
        if (err != NULL && errlen > 0)
            snprintf(err, errlen, "%s", msg);
        ks_catalog_free(p.cat);
        return NULL;
    }
    return p.cat;
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
