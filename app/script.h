/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The UI test harness's script language (--script PATH): one command per
 * line, '#' starts a comment. Parsed completely before the kiosk starts, so a
 * bad script fails at once with "path:line: message".
 *
 *   wait MS              let the kiosk run for MS milliseconds of real time
 *   advance SECONDS      move the kiosk's clock forward (timeouts) without waiting
 *   tap ID               touch the centre of the widget with that id
 *   tap X Y              touch the physical window point (X, Y)
 *   tap-if ID            tap the widget if it is on screen, else do nothing (e.g. 下一页)
 *   tap-first PREFIX     tap the first live button whose id starts with PREFIX ("day-")
 *   press ID | press X Y put a finger down (and keep it there; each press is a new finger)
 *   release | release X Y  lift the most recent finger still down (where it is,
 *                        or at another point: a finger that slid)
 *   screenshot NAME      save the upright canvas as <screenshot-dir>/NAME.png
 *   screenshot-window NAME  save what the window shows (rotated) likewise
 *   dump PATH            write the widget tree as JSON
 *   resize W H           change the window size (as a display mode change would)
 *   expect-screen ID     stop with exit status 3 unless the current screen is ID
 *   wait-screen ID MS    wait (real time) until the screen is ID; exit status 3 after MS
 *   wait-sessions N MS   wait until N sessions have begun since start; status 3 after MS
 *   wait-widget ID MS    wait until a widget with that id is on screen; status 3 after MS
 *   wait-no-widget ID MS wait until no widget has that id; status 3 after MS
 *   wait-file PATH MS    wait until PATH exists (a test runner's hook ran); status 3 after MS
 *   print TEXT           write TEXT and a newline to standard output
 *   quit                 leave the kiosk (exit status 0)
 *
 * Plain C, no SDL: unit-tested and fuzzed.
 */
#ifndef KS_SCRIPT_H
#define KS_SCRIPT_H

#include <stddef.h>

typedef enum {
    KS_CMD_WAIT,
    KS_CMD_ADVANCE,
    KS_CMD_TAP_ID,
    KS_CMD_TAP_XY,
    KS_CMD_TAP_IF,
    KS_CMD_TAP_FIRST, /* the first live button whose id starts with arg */
    KS_CMD_PRESS_ID,
    KS_CMD_PRESS_XY,
    KS_CMD_RELEASE,    /* where the finger went down */
    KS_CMD_RELEASE_XY, /* somewhere else: a finger that slid off */
    KS_CMD_SCREENSHOT,
    KS_CMD_SCREENSHOT_WINDOW,
    KS_CMD_DUMP,
    KS_CMD_RESIZE,
    KS_CMD_EXPECT_SCREEN,
    KS_CMD_WAIT_SCREEN,
    KS_CMD_WAIT_SESSIONS,
    KS_CMD_WAIT_WIDGET,
    KS_CMD_WAIT_NO_WIDGET,
    KS_CMD_WAIT_FILE,
    KS_CMD_PRINT,
    KS_CMD_QUIT,
} ks_cmd_kind_t;

typedef struct {
    ks_cmd_kind_t kind;
    int line;
    long a, b; /* wait ms / advance s / tap x y */
    char *arg; /* id, name, path, text: owned */
} ks_cmd_t;

typedef struct ks_script ks_script_t;

/* Parses a script held in memory; `name` is used in messages. NULL on error (err filled). */
ks_script_t *ks_script_parse(const char *text, size_t len, const char *name, char *err,
                             size_t errlen);

/* Reads and parses a file. NULL on error (err filled). */
ks_script_t *ks_script_load(const char *path, char *err, size_t errlen);

void ks_script_free(ks_script_t *s);

size_t ks_script_count(const ks_script_t *s);
const ks_cmd_t *ks_script_at(const ks_script_t *s, size_t i);

#endif
