/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "linebreak.h"
#include "utf8.h"

#include <assert.h>
#include <stdint.h>
#include <string.h>

/*
 * Greedy filling: a line is extended break opportunity by break opportunity
 * until the next one would not fit. Widths are always measured on the whole
 * candidate line rather than summed per piece, so kerning and shaping done by
 * the caller's font code are respected.
 */

typedef enum {
    CLS_AL,  /* Latin letters, digits, anything not listed below */
    CLS_ID,  /* CJK: a break is allowed on either side */
    CLS_SP,  /* space: break after, trimmed at the break */
    CLS_HY,  /* hyphen: break after, between letters */
    CLS_OP,  /* opening punctuation: never ends a line */
    CLS_CL,  /* closing punctuation: never starts a line */
    CLS_CM,  /* combining mark / variation selector: stays with its base */
    CLS_ZWJ, /* zero-width joiner: glues both neighbours */
    CLS_ZW,  /* zero-width space: a preferred break after it */
} lb_class_t;

typedef struct {
    const char *text;
    int max_width;
    ks_measure_fn measure;
    void *ud;
    ks_line_t *lines;
    size_t max_lines;
    size_t count;
} lb_t;

static lb_class_t classify(uint32_t cp)
{
    switch (cp) {
    case KS_LINEBREAK_PREFERRED:
        return CLS_ZW;
    case ' ':
        return CLS_SP;
    case '-':
        return CLS_HY;
    case '(':
    case '[':
    case '{':
    case 0xFF08: /* （ */
    case 0x300A: /* 《 */
    case 0x300C: /* 「 */
    case 0x300E: /* 『 */
    case 0x3010: /* 【 */
    case 0x3008: /* 〈 */
    case 0x201C: /* “ */
    case 0x2018: /* ‘ */
        return CLS_OP;
    case ',':
    case '.':
    case ';':
    case ':':
    case '?':
    case '!':
    case ')':
    case ']':
    case '}':
    case 0xFF0C: /* ， */
    case 0x3002: /* 。 */
    case 0x3001: /* 、 */
    case 0xFF1B: /* ； */
    case 0xFF1A: /* ： */
    case 0xFF1F: /* ？ */
    case 0xFF01: /* ！ */
    case 0xFF09: /* ） */
    case 0x300B: /* 》 */
    case 0x300D: /* 」 */
    case 0x300F: /* 』 */
    case 0x3011: /* 】 */
    case 0x3009: /* 〉 */
    case 0x201D: /* ” */
    case 0x2019: /* ’ */
        return CLS_CL;
    case 0x200D:
        return CLS_ZWJ;
    default:
        break;
    }
    if ((cp >= 0x0300 && cp <= 0x036F) || (cp >= 0x1AB0 && cp <= 0x1AFF) ||
        (cp >= 0x1DC0 && cp <= 0x1DFF) || (cp >= 0x20D0 && cp <= 0x20FF) ||
        (cp >= 0xFE00 && cp <= 0xFE0F) || (cp >= 0xFE20 && cp <= 0xFE2F) ||
        (cp >= 0xE0100 && cp <= 0xE01EF))
        return CLS_CM;
    if (ks_utf8_is_cjk(cp))
        return CLS_ID;
    return CLS_AL;
}

/*
 * May a line end between a and b? `before` is the code point preceding a, or 0.
 * A CJK character allows a break on either side (also next to Latin text, as in
 * "使用App登录"), which is how Chinese is typeset; the punctuation rules win.
 */
static int can_break(uint32_t before, uint32_t a, uint32_t b)
{
    lb_class_t ca = classify(a), cb = classify(b);
    if (cb == CLS_CL || cb == CLS_SP || cb == CLS_CM || cb == CLS_ZWJ)
        return 0;
    if (ca == CLS_OP || ca == CLS_ZWJ)
        return 0;
    if (ca == CLS_SP || ca == CLS_ZW)
        return 1;
    if (ca == CLS_HY) {
        /* "well-known" may break, "-5" and "2024-05-01" may not. */
        return before != 0 && classify(before) == CLS_AL && cb == CLS_AL && !(b >= '0' && b <= '9');
    }
    return ca == CLS_ID || cb == CLS_ID;
}

static size_t trim_end(const char *t, size_t start, size_t end)
{
    while (end > start && t[end - 1] == ' ')
        end--;
    return end;
}

static int width_of(const lb_t *lb, size_t start, size_t end)
{
    if (end <= start)
        return 0;
    int w = lb->measure(lb->text + start, end - start, lb->ud);
    return w < 0 ? 0 : w;
}

static void emit(lb_t *lb, size_t start, size_t end, int width)
{
    if (lb->count < lb->max_lines) {
        lb->lines[lb->count].start = start;
        lb->lines[lb->count].len = end - start;
        lb->lines[lb->count].width = width;
    }
    lb->count++;
}

/*
 * Fallback for a run with no usable break opportunity: as many code points as
 * fit, and always at least one so that progress is made.
 */
static size_t break_by_code_point(const lb_t *lb, size_t start, size_t pend, size_t *end, int *w)
{
    uint32_t cp;
    size_t pos = start + ks_utf8_decode(lb->text + start, pend - start, &cp);
    int fit_w = width_of(lb, start, pos);
    while (pos < pend) {
        size_t next = pos + ks_utf8_decode(lb->text + pos, pend - pos, &cp);
        int wd = width_of(lb, start, next);
        if (wd > lb->max_width)
            break;
        pos = next;
        fit_w = wd;
    }
    size_t t = trim_end(lb->text, start, pos);
    *end = t;
    *w = t == pos ? fit_w : width_of(lb, start, t);
    return pos;
}

/*
 * Lays out one line starting at `start` within the paragraph ending at `pend`.
 * Stores the end of its visible text in *end and its width in *w; returns where
 * the next line begins (spaces at the break not yet skipped).
 */
static size_t next_line(const lb_t *lb, size_t start, size_t pend, size_t *end, int *w)
{
    const char *t = lb->text;
    size_t fit_brk = 0, fit_end = 0, pref_brk = 0, pref_end = 0;
    int fit_w = 0, have_fit = 0, overflow = 0, pref_w = 0, have_pref = 0;
    uint32_t before = 0, a = 0;
    size_t pos = start;
    while (pos < pend) {
        uint32_t b;
        size_t n = ks_utf8_decode(t + pos, pend - pos, &b);
        if (pos > start && can_break(before, a, b)) {
            size_t e = trim_end(t, start, pos);
            /* A break right after leading spaces would make an empty line. */
            if (e > start) {
                int wd = width_of(lb, start, e);
                if (wd > lb->max_width) {
                    overflow = 1;
                    break;
                }
                have_fit = 1;
                fit_brk = pos;
                fit_end = e;
                fit_w = wd;
                if (a == KS_LINEBREAK_PREFERRED) {
                    have_pref = 1;
                    pref_brk = pos;
                    pref_end = e;
                    pref_w = wd;
                }
            }
        }
        before = a;
        a = b;
        pos += n;
    }
    if (!overflow) {
        size_t e = trim_end(t, start, pend);
        int wd = width_of(lb, start, e);
        if (wd <= lb->max_width || e == start) {
            *end = e;
            *w = wd;
            return pend;
        }
    }
    /* A break the author marked keeps a phrase together: it beats a later ordinary one. */
    if (have_pref) {
        *end = pref_end;
        *w = pref_w;
        return pref_brk;
    }
    if (have_fit) {
        *end = fit_end;
        *w = fit_w;
        return fit_brk;
    }
    return break_by_code_point(lb, start, pend, end, w);
}

static void break_paragraph(lb_t *lb, size_t s, size_t pend)
{
    if (lb->max_width <= 0 || s == pend) {
        size_t e = trim_end(lb->text, s, pend);
        emit(lb, s, e, width_of(lb, s, e));
        return;
    }
    /* Leading spaces of a paragraph are kept (indentation); those after a wrap are not. */
    size_t start = s;
    for (;;) {
        size_t end;
        int w;
        size_t next = next_line(lb, start, pend, &end, &w);
        emit(lb, start, end, w);
        start = next;
        while (start < pend && lb->text[start] == ' ')
            start++;
        if (start >= pend)
            break;
    }
}

/* Every '\n' ends a line, so "a\n" is two lines, the second one empty. */
size_t ks_linebreak(const char *text, size_t len, int max_width, ks_measure_fn measure, void *ud,
                    ks_line_t *lines, size_t max_lines)
{
    assert(measure != NULL);
    assert(lines != NULL || max_lines == 0);
    if (!text || len == 0)
        return 0;
    lb_t lb = {text, max_width, measure, ud, lines, max_lines, 0};
    size_t para = 0;
    for (;;) {
        const char *nl = memchr(text + para, '\n', len - para);
        size_t pend = nl ? (size_t)(nl - text) : len;
        break_paragraph(&lb, para, pend);
        if (!nl)
            break;
        para = pend + 1;
    }
    return lb.count;
}
