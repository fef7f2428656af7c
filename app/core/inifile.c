/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * INI files through libinih (see inifile.h). inih calls the value handler
 * for the line it has just read, so the reader's count of physical lines is
 * the line number of every callback.
 */
#include "inifile.h"

#include "error.h"

#include <ini.h>

#include <assert.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

/* Longest part of a value quoted in a message, so the explanation still fits. */
#define QUOTE_MAX 64

struct ks_ini {
    const ks_ini_spec_t *spec;
    void *user;
    FILE *fp;
    int lineno;     /* physical line most recently handed to inih */
    int read_errno; /* errno of a failed read, 0 if none */
    int abort_code; /* a callback's non-parse error, KS_OK if none */
    int err_line;   /* line of the first recorded error, 0 if none */
    char msg[384];
};

int ks_ini_line(const ks_ini_t *ini)
{
    return ini->lineno;
}

void ks_ini_fail(ks_ini_t *ini, const char *fmt, ...)
{
    if (ini->err_line != 0)
        return;
    ini->err_line = ini->lineno;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(ini->msg, sizeof ini->msg, fmt, ap);
    va_end(ap);
}

/* Bytes of `s` to quote: at most QUOTE_MAX, never ending inside a UTF-8 sequence. */
static int quote_len(const char *s)
{
    size_t n = strlen(s);
    if (n <= QUOTE_MAX)
        return (int)n;
    n = QUOTE_MAX;
    while (n > 0 && ((unsigned char)s[n] & 0xC0) == 0x80)
        n--;
    return (int)n;
}

int ks_ini_fail_value(ks_ini_t *ini, const char *section, const char *name, const char *value,
                      const char *expected)
{
    const char *more = strlen(value) > QUOTE_MAX ? "..." : "";
    ks_ini_fail(ini, "bad value for [%s] %s: '%.*s%s' (expected %s)", section, name,
                quote_len(value), value, more, expected);
    return KS_E_PARSE;
}

static const char *syntax_error(const ks_ini_spec_t *spec)
{
    return spec->syntax_error != NULL ? spec->syntax_error : "syntax error";
}

/* Acts on a callback's result: see the contract in inifile.h. */
static void callback_result(ks_ini_t *ini, int rc)
{
    assert(rc <= 0 && "callbacks return KS_OK or a negative KS_E* code");
    if (rc == KS_OK)
        return;
    if (rc == KS_E_PARSE)
        ks_ini_fail(ini, "%s", syntax_error(ini->spec));
    else if (ini->abort_code == KS_OK)
        ini->abort_code = rc;
}

/* Hands a `[name] ...` line's name to on_section; inih reports a header without ']'. */
static void section_line(ks_ini_t *ini, char *line)
{
    char *end = strchr(line, ']');
    if (end == NULL || ini->spec->on_section == NULL)
        return;
    *end = '\0';
    int rc = ini->spec->on_section(ini->user, ini, line + 1);
    *end = ']';
    callback_result(ini, rc);
}

/* fgets-style reader for ini_parse_stream(); see inifile.h for what it adds. */
static char *read_line(char *str, int num, void *stream)
{
    ks_ini_t *ini = stream;
    if (ini->abort_code != KS_OK)
        return NULL; /* a callback gave up: end of file for inih */
    errno = 0;
    if (fgets(str, num, ini->fp) == NULL) {
        if (ferror(ini->fp))
            ini->read_errno = errno != 0 ? errno : EIO;
        return NULL;
    }
    ini->lineno++;

    size_t len = strlen(str);
    size_t skip = 0;
    if (ini->lineno == 1 && len >= 3 && memcmp(str, "\xEF\xBB\xBF", 3) == 0)
        skip = 3;
    while (str[skip] == ' ' || str[skip] == '\t')
        skip++;

    if (len > 0 && str[len - 1] != '\n') {
        int c = fgetc(ini->fp);
        if (c != EOF && c != '\n') {
            /* Drop the tail so it is not parsed as a line of its own. */
            while (c != EOF && c != '\n')
                c = fgetc(ini->fp);
            /* Only a comment loses nothing by the cut. */
            if (str[skip] != ';' && str[skip] != '#')
                ks_ini_fail(ini, "line is too long (at most %d bytes)", num - 1);
        }
    }

    if (skip > 0)
        memmove(str, str + skip, strlen(str + skip) + 1);

    if (str[0] == '[')
        section_line(ini, str);
    return str;
}

/*
 * inih handler. Errors are tracked here rather than through inih's return
 * value, so inih's own result only ever means a line it could not parse.
 */
static int on_inih_value(void *user, const char *section, const char *name, const char *value)
{
    ks_ini_t *ini = user;
    callback_result(ini, ini->spec->on_value(ini->user, ini, section, name, value));
    return 1;
}

int ks_ini_parse(const char *path, const ks_ini_spec_t *spec, void *user, char *err, size_t errlen)
{
    if (err == NULL)
        errlen = 0;
    if (errlen > 0)
        err[0] = '\0';
    if (path == NULL || spec == NULL || spec->on_value == NULL)
        return KS_E_INVAL;

    ks_ini_t ini = {.spec = spec, .user = user, .abort_code = KS_OK};
    ini.fp = fopen(path, "r");
    if (ini.fp == NULL) {
        if (errlen > 0)
            snprintf(err, errlen, "%s: cannot open: %s", path, strerror(errno));
        return KS_E_IO;
    }
    int rc = ini_parse_stream(read_line, &ini, on_inih_value, &ini);
    fclose(ini.fp);

    if (ini.read_errno != 0) {
        /* e.g. a directory: fopen() succeeds, reading does not. */
        if (errlen > 0)
            snprintf(err, errlen, "%s: cannot read: %s", path, strerror(ini.read_errno));
        return KS_E_IO;
    }
    if (ini.abort_code != KS_OK || rc == -2) {
        int code = ini.abort_code != KS_OK ? ini.abort_code : KS_E_NOMEM;
        if (errlen > 0)
            snprintf(err, errlen, "%s: %s", path, ks_strerror(code));
        return code;
    }
    if (rc > 0 && (ini.err_line == 0 || rc < ini.err_line)) {
        /* inih rejected the line itself (no '=', or no ']' after a section name). */
        if (errlen > 0)
            snprintf(err, errlen, "%s:%d: %s", path, rc, syntax_error(spec));
        return KS_E_PARSE;
    }
    if (ini.err_line != 0) {
        if (errlen > 0)
            snprintf(err, errlen, "%s:%d: %s", path, ini.err_line, ini.msg);
        return KS_E_PARSE;
    }
    return KS_OK;
}
