/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * CJK-aware line breaking, independent of any font library: the caller
 * supplies a measuring callback (text width in pixels of a byte range).
 *
 * Rules: a break is allowed between two CJK characters, after a space or
 * hyphen in Latin text, and at '\n' (forced). Closing punctuation
 * (，。、；：？！）》」』】〉”’ and ASCII , . ; : ? ! ) ] }) never starts a line;
 * opening punctuation (（《「『【〈“‘ and ASCII ( [ {) never ends one. A run that
 * has no break opportunity and is wider than the line is broken between code
 * points. Spaces at a break are not part of either line.
 *
 * U+200B ZERO WIDTH SPACE marks a preferred break ("请插入\u200B社会保障卡"):
 * when a line must break, it breaks at the last preferred break that fits,
 * even if an ordinary opportunity further on would also fit. The caller does
 * not draw it (it has no width).
 */
#ifndef KS_LINEBREAK_H
#define KS_LINEBREAK_H

#include <stddef.h>

#define KS_LINEBREAK_PREFERRED 0x200Bu

/* Width in pixels of s[0..len) (no newlines inside). Must be >= 0. */
typedef int (*ks_measure_fn)(const char *s, size_t len, void *ud);

typedef struct {
    size_t start; /* byte offset of the line in the input */
    size_t len;   /* byte length, trailing spaces excluded */
    int width;    /* measured width of the line */
} ks_line_t;

/*
 * Breaks text[0..len) into lines no wider than max_width (when possible).
 * Writes at most max_lines entries to `lines` and returns the total number of
 * lines needed (which may exceed max_lines: the caller can then retry with a
 * bigger array). Returns 0 for empty input. max_width <= 0 means no wrapping.
 */
size_t ks_linebreak(const char *text, size_t len, int max_width, ks_measure_fn measure, void *ud,
                    ks_line_t *lines, size_t max_lines);

#endif
