/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "utf8.h"

#include <assert.h>
#include <string.h>

#define KS_UTF8_REPLACEMENT 0xFFFDu

size_t ks_utf8_decode(const char *s, size_t len, uint32_t *cp)
{
    assert(cp != NULL);
    if (len == 0)
        return 0;
    assert(s != NULL);

    const unsigned char *u = (const unsigned char *)s;
    size_t need;
    uint32_t c, min;
    if (u[0] < 0x80) {
        *cp = u[0];
        return 1;
    } else if (u[0] >= 0xC2 && u[0] <= 0xDF) {
        need = 2;
        c = u[0] & 0x1Fu;
        min = 0x80;
    } else if (u[0] >= 0xE0 && u[0] <= 0xEF) {
        need = 3;
        c = u[0] & 0x0Fu;
        min = 0x800;
    } else if (u[0] >= 0xF0 && u[0] <= 0xF4) {
        need = 4;
        c = u[0] & 0x07u;
        min = 0x10000;
    } else {
        /* Stray continuation byte, C0/C1 (always overlong) or F5-FF (beyond U+10FFFF). */
        *cp = KS_UTF8_REPLACEMENT;
        return 1;
    }
    if (len < need) {
        *cp = KS_UTF8_REPLACEMENT;
        return 1;
    }
    for (size_t i = 1; i < need; i++) {
        if ((u[i] & 0xC0u) != 0x80u) {
            *cp = KS_UTF8_REPLACEMENT;
            return 1;
        }
        c = (c << 6) | (u[i] & 0x3Fu);
    }
    /* Overlong forms and surrogates are rejected: they are how filters get bypassed. */
    if (c < min || c > 0x10FFFFu || (c >= 0xD800u && c <= 0xDFFFu)) {
        *cp = KS_UTF8_REPLACEMENT;
        return 1;
    }
    *cp = c;
    return need;
}

size_t ks_utf8_length(const char *s)
{
    assert(s != NULL);
    size_t len = strlen(s);
    size_t pos = 0, count = 0;
    while (pos < len) {
        uint32_t cp;
        pos += ks_utf8_decode(s + pos, len - pos, &cp);
        count++;
    }
    return count;
}

int ks_utf8_is_cjk(uint32_t cp)
{
    static const struct {
        uint32_t lo, hi;
    } ranges[] = {
        {0x1100, 0x11FF},   /* Hangul Jamo */
        {0x2E80, 0x2FDF},   /* CJK Radicals Supplement, Kangxi Radicals */
        {0x2FF0, 0x303F},   /* Ideographic description, CJK symbols and punctuation */
        {0x3040, 0x30FF},   /* Hiragana, Katakana */
        {0x3100, 0x31FF},   /* Bopomofo, Hangul compatibility Jamo, Kanbun, strokes */
        {0x3200, 0x33FF},   /* Enclosed CJK letters, CJK compatibility */
        {0x3400, 0x4DBF},   /* CJK Extension A */
        {0x4E00, 0x9FFF},   /* CJK Unified Ideographs */
        {0xA960, 0xA97F},   /* Hangul Jamo Extended-A */
        {0xAC00, 0xD7FF},   /* Hangul syllables, Jamo Extended-B */
        {0xF900, 0xFAFF},   /* CJK compatibility ideographs */
        {0xFE10, 0xFE1F},   /* Vertical forms */
        {0xFE30, 0xFE4F},   /* CJK compatibility forms */
        {0xFF01, 0xFFEE},   /* Full-width ASCII, half-width kana and Hangul, full-width signs */
        {0x1B000, 0x1B16F}, /* Kana Supplement and extensions */
        {0x20000, 0x3FFFF}, /* Supplementary and Tertiary Ideographic Planes */
    };
    for (size_t i = 0; i < sizeof ranges / sizeof ranges[0]; i++) {
        if (cp < ranges[i].lo)
            return 0;
        if (cp <= ranges[i].hi)
            return 1;
    }
    return 0;
}

size_t ks_utf8_copy_visible(char *dst, const char *src, size_t len)
{
    size_t o = 0;
    for (size_t i = 0; i < len; i++) {
        if (i + 2 < len && (unsigned char)src[i] == 0xE2 && (unsigned char)src[i + 1] == 0x80 &&
            (unsigned char)src[i + 2] == 0x8B) {
            i += 2;
            continue;
        }
        dst[o++] = src[i];
    }
    dst[o] = '\0';
    return o;
}
