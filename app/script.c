/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "script.h"

#include "error.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define KS_SCRIPT_MAX_BYTES (1024 * 1024)
#define KS_SCRIPT_MAX_LINE  4096

struct ks_script {
    ks_cmd_t *cmds;
    size_t n, cap;
};

static void cmd_free(ks_cmd_t *c)
{
    free(c->arg);
}

void ks_script_free(ks_script_t *s)
{
    if (!s)
        return;
    for (size_t i = 0; i < s->n; i++)
        cmd_free(&s->cmds[i]);
    free(s->cmds);
    free(s);
}

size_t ks_script_count(const ks_script_t *s)
{
    return s->n;
}

const ks_cmd_t *ks_script_at(const ks_script_t *s, size_t i)
{
    return i < s->n ? &s->cmds[i] : NULL;
}

static int parse_long(const char *tok, long lo, long hi, long *out)
{
    if (!tok || !*tok)
        return -1;
    char *end = NULL;
    errno = 0;
    long v = strtol(tok, &end, 10);
    if (errno != 0 || *end != '\0' || v < lo || v > hi)
        return -1;
    *out = v;
    return 0;
}

/* Names that become file names: letters, digits, '-', '_', '.', no leading dot. */
static int safe_name(const char *s)
{
    if (!*s || *s == '.' || strlen(s) > 128)
        return 0;
    for (; *s; s++) {
        char c = *s;
        int ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                 c == '-' || c == '_' || c == '.';
        if (!ok)
            return 0;
    }
    return 1;
}

static int parse_line(char *line, ks_cmd_t *c, char *msg, size_t msglen)
{
    char *save = NULL;
    char *verb = strtok_r(line, " \t", &save);
    char *rest = save; /* the remainder, untokenised, for print */
    char *a1 = NULL, *a2 = NULL, *a3 = NULL;

    if (strcmp(verb, "print") == 0) {
        c->kind = KS_CMD_PRINT;
        c->arg = strdup(rest ? rest + strspn(rest, " \t") : "");
        return c->arg ? 0 : -1;
    }
    a1 = strtok_r(NULL, " \t", &save);
    a2 = a1 ? strtok_r(NULL, " \t", &save) : NULL;
    a3 = a2 ? strtok_r(NULL, " \t", &save) : NULL;

    if (strcmp(verb, "wait") == 0 && a1 && !a2) {
        c->kind = KS_CMD_WAIT;
        if (parse_long(a1, 0, 600000, &c->a) == 0)
            return 0;
        snprintf(msg, msglen, "wait: expected milliseconds 0..600000");
        return -1;
    }
    if (strcmp(verb, "advance") == 0 && a1 && !a2) {
        c->kind = KS_CMD_ADVANCE;
        if (parse_long(a1, 0, 86400 * 7, &c->a) == 0)
            return 0;
        snprintf(msg, msglen, "advance: expected seconds 0..604800");
        return -1;
    }
    int is_tap = strcmp(verb, "tap") == 0, is_press = strcmp(verb, "press") == 0;
    if ((is_tap || is_press) && a1 && !a3) {
        if (a2) {
            c->kind = is_tap ? KS_CMD_TAP_XY : KS_CMD_PRESS_XY;
            if (parse_long(a1, 0, 100000, &c->a) == 0 && parse_long(a2, 0, 100000, &c->b) == 0)
                return 0;
            snprintf(msg, msglen, "%s: expected a widget id or two coordinates", verb);
            return -1;
        }
        c->kind = is_tap ? KS_CMD_TAP_ID : KS_CMD_PRESS_ID;
    } else if (strcmp(verb, "tap-if") == 0 && a1 && !a2) {
        c->kind = KS_CMD_TAP_IF;
    } else if (strcmp(verb, "tap-first") == 0 && a1 && !a2) {
        c->kind = KS_CMD_TAP_FIRST;
    } else if (strcmp(verb, "release") == 0 && !a3 && (!a1 || a2)) {
        if (!a1) {
            c->kind = KS_CMD_RELEASE;
            return 0;
        }
        c->kind = KS_CMD_RELEASE_XY;
        if (parse_long(a1, 0, 100000, &c->a) == 0 && parse_long(a2, 0, 100000, &c->b) == 0)
            return 0;
        snprintf(msg, msglen, "release: expected nothing or two coordinates");
        return -1;
    } else if ((strcmp(verb, "screenshot") == 0 || strcmp(verb, "screenshot-window") == 0) && a1 &&
               !a2) {
        c->kind = verb[10] == '-' ? KS_CMD_SCREENSHOT_WINDOW : KS_CMD_SCREENSHOT;
        if (!safe_name(a1)) {
            snprintf(msg, msglen, "%s: name may hold only letters, digits, '-', '_', '.'", verb);
            return -1;
        }
    } else if (strcmp(verb, "resize") == 0 && a1 && !a3) {
        c->kind = KS_CMD_RESIZE;
        if (a2 && parse_long(a1, 320, 7680, &c->a) == 0 && parse_long(a2, 320, 7680, &c->b) == 0)
            return 0;
        snprintf(msg, msglen, "resize: expected a width and a height from 320 to 7680");
        return -1;
    } else if (strcmp(verb, "dump") == 0 && a1 && !a2) {
        c->kind = KS_CMD_DUMP;
    } else if ((strcmp(verb, "wait-screen") == 0 || strcmp(verb, "wait-widget") == 0 ||
                strcmp(verb, "wait-no-widget") == 0 || strcmp(verb, "wait-file") == 0) &&
               a1 && !a3) {
        c->kind = verb[5] == 's'   ? KS_CMD_WAIT_SCREEN
                  : verb[5] == 'w' ? KS_CMD_WAIT_WIDGET
                  : verb[5] == 'n' ? KS_CMD_WAIT_NO_WIDGET
                                   : KS_CMD_WAIT_FILE;
        if (!a2 || parse_long(a2, 0, 600000, &c->a) != 0) {
            snprintf(msg, msglen, "%s: expected %s and milliseconds 0..600000", verb,
                     c->kind == KS_CMD_WAIT_FILE     ? "a path"
                     : c->kind == KS_CMD_WAIT_SCREEN ? "a screen id"
                                                     : "a widget id");
            return -1;
        }
    } else if (strcmp(verb, "wait-sessions") == 0 && a1 && a2 && !a3) {
        c->kind = KS_CMD_WAIT_SESSIONS;
        if (parse_long(a1, 0, 1000000, &c->b) == 0 && parse_long(a2, 0, 600000, &c->a) == 0)
            return 0;
        snprintf(msg, msglen, "wait-sessions: expected a count and milliseconds 0..600000");
        return -1;
    } else if (strcmp(verb, "expect-screen") == 0 && a1 && !a2) {
        c->kind = KS_CMD_EXPECT_SCREEN;
    } else if (strcmp(verb, "quit") == 0 && !a1) {
        c->kind = KS_CMD_QUIT;
        return 0;
    } else {
        snprintf(msg, msglen, "unknown command or wrong arguments: '%.40s'", verb);
        return -1;
    }
    c->arg = strdup(a1);
    return c->arg ? 0 : -1;
}

ks_script_t *ks_script_parse(const char *text, size_t len, const char *name, char *err,
                             size_t errlen)
{
    ks_script_t *s = calloc(1, sizeof *s);
    char line[KS_SCRIPT_MAX_LINE];
    char msg[160];
    size_t pos = 0;
    int lineno = 0;

    if (!s) {
        snprintf(err, errlen, "%s: out of memory", name);
        return NULL;
    }
    while (pos < len) {
        size_t end = pos;
        while (end < len && text[end] != '\n')
            end++;
        lineno++;
        size_t n = end - pos;
        if (n >= sizeof line) {
            snprintf(err, errlen, "%s:%d: line too long", name, lineno);
            goto fail;
        }
        memcpy(line, text + pos, n);
        line[n] = '\0';
        pos = end + 1;
        if (memchr(line, '\0', n)) {
            snprintf(err, errlen, "%s:%d: NUL byte in script", name, lineno);
            goto fail;
        }
        if (n && line[n - 1] == '\r')
            line[--n] = '\0';
        char *p = line + strspn(line, " \t");
        if (*p == '\0' || *p == '#')
            continue;
        if (s->n == s->cap) {
            size_t cap = s->cap ? s->cap * 2 : 16;
            ks_cmd_t *grown = realloc(s->cmds, cap * sizeof *grown);
            if (!grown) {
                snprintf(err, errlen, "%s: out of memory", name);
                goto fail;
            }
            s->cmds = grown;
            s->cap = cap;
        }
        ks_cmd_t *c = &s->cmds[s->n];
        memset(c, 0, sizeof *c);
        c->line = lineno;
        msg[0] = '\0';
        if (parse_line(p, c, msg, sizeof msg) != 0) {
            snprintf(err, errlen, "%s:%d: %s", name, lineno, msg[0] ? msg : "out of memory");
            cmd_free(c);
            goto fail;
        }
        s->n++;
    }
    explicit_bzero(line, sizeof line);
    return s;
fail:
    explicit_bzero(line, sizeof line);
    ks_script_free(s);
    return NULL;
}

ks_script_t *ks_script_load(const char *path, char *err, size_t errlen)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        snprintf(err, errlen, "%s: cannot open: %s", path, strerror(errno));
        return NULL;
    }
    /* Unbuffered: no stdio buffer keeps a copy of the identities in it. */
    setvbuf(f, NULL, _IONBF, 0);
    char *buf = malloc(KS_SCRIPT_MAX_BYTES);
    if (!buf) {
        fclose(f);
        snprintf(err, errlen, "%s: out of memory", path);
        return NULL;
    }
    size_t n = fread(buf, 1, KS_SCRIPT_MAX_BYTES, f);
    int too_big = n == KS_SCRIPT_MAX_BYTES && fgetc(f) != EOF;
    int failed = ferror(f);
    fclose(f);
    ks_script_t *s = NULL;
    if (failed)
        snprintf(err, errlen, "%s: read error", path);
    else if (too_big)
        snprintf(err, errlen, "%s: larger than %d bytes", path, KS_SCRIPT_MAX_BYTES);
    else
        s = ks_script_parse(buf, n, path, err, errlen);
    free(buf);
    return s;
}
