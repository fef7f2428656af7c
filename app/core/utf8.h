/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Minimal UTF-8 helpers used by the line breaker and masking. */
#ifndef KS_UTF8_H
#define KS_UTF8_H

#include <stddef.h>
#include <stdint.h>

/*
 * Decodes one code point at s[0..len). Returns the number of bytes consumed
 * (1-4) and stores the code point in *cp; malformed or truncated sequences
 * consume 1 byte and yield U+FFFD. Returns 0 when len == 0.
 */
size_t ks_utf8_decode(const char *s, size_t len, uint32_t *cp);

/* Number of code points in a NUL-terminated string (malformed bytes count as one each). */
size_t ks_utf8_length(const char *s);

/* True for code points that are ideographs/kana/hangul or full-width forms (breakable between). */
int ks_utf8_is_cjk(uint32_t cp);

/*
 * Copies src[0..len) to dst without U+200B ZERO WIDTH SPACE (the catalogue's
 * preferred-break marker, which is never drawn or shown) and NUL-terminates
 * it. dst must hold len + 1 bytes. Returns the copied length.
 */
size_t ks_utf8_copy_visible(char *dst, const char *src, size_t len);

#endif
