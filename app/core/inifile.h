/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * INI files read with libinih, with the line handling every module needs.
 *
 * The Debian libinih has a fixed 200-byte line buffer and silently cuts a
 * longer line, parsing its tail as a new line. ks_ini_parse() feeds inih its
 * own line reader instead, which
 *   - counts physical lines (blank and comment lines, a UTF-8 BOM included),
 *     so callbacks can ask ks_ini_line() where they are;
 *   - rejects an over-long line ("line is too long (at most 199 bytes)"),
 *     except a comment, which loses nothing by the cut;
 *   - strips leading blanks, so an indented line is never glued to the
 *     previous value as a multi-line continuation;
 *   - reports every [section] header line, which inih itself never does (so
 *     an unknown empty section can still be caught on its own line).
 *
 * Errors are "path:line: message", the first one in the file winning.
 */
#ifndef KS_INIFILE_H
#define KS_INIFILE_H

#include <stddef.h>

/* Parse state, valid only inside the callbacks of one ks_ini_parse(). */
typedef struct ks_ini ks_ini_t;

/*
 * Callbacks return KS_OK to go on. A problem with the file is reported with
 * ks_ini_fail() (the callback then returns KS_E_PARSE; returning KS_E_PARSE
 * without ks_ini_fail() rejects the line as a syntax error). Any other
 * negative code, e.g. KS_E_NOMEM, abandons the parse: no more callbacks, and
 * ks_ini_parse() returns that code.
 */
typedef int (*ks_ini_value_fn)(void *user, ks_ini_t *ini, const char *section, const char *name,
                               const char *value);
typedef int (*ks_ini_section_fn)(void *user, ks_ini_t *ini, const char *section);

/* What a module does with its file. */
typedef struct {
    ks_ini_value_fn on_value;     /* each `name = value`, section "" before any header */
    ks_ini_section_fn on_section; /* each `[section]` header line; may be NULL */
    const char *syntax_error;     /* message for a line inih rejects; NULL: "syntax error" */
} ks_ini_spec_t;

/*
 * Parses the file at `path`, calling spec's callbacks with `user`. Returns
 * KS_OK; KS_E_IO with "path: cannot open: <reason>" or "path: cannot read:
 * <reason>" in err; KS_E_PARSE with "path:line: message"; KS_E_NOMEM with
 * "path: out of memory" (or a callback's own code with "path: <ks_strerror>").
 * err (may be NULL) is always NUL-terminated, truncated to errlen.
 */
int ks_ini_parse(const char *path, const ks_ini_spec_t *spec, void *user, char *err, size_t errlen);

/* Physical line (from 1) of the header or value being handled. */
int ks_ini_line(const ks_ini_t *ini);

/*
 * Records a parse error at the current line. Only the first error is kept:
 * later ones are usually consequences of it.
 */
void ks_ini_fail(ks_ini_t *ini, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/*
 * ks_ini_fail() with the common message for a value that does not fit:
 * "bad value for [section] name: 'value' (expected <expected>)", the value
 * quoted to at most 64 bytes (never cut inside a UTF-8 sequence) plus "...".
 * Returns KS_E_PARSE, so a callback can `return ks_ini_fail_value(...)`.
 */
int ks_ini_fail_value(ks_ini_t *ini, const char *section, const char *name, const char *value,
                      const char *expected);

#endif
