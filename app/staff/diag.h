/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Staff diagnostics: one report, as JSON, of everything a technician asks
 * first — card readers and pcscd, USB devices, the printer, the district
 * backend (reachability, TLS, certificate, clock), the display, the state
 * directory's free space, library versions and the configuration without its
 * secrets — with a verdict: healthy, or a list of problems in plain English.
 * `civic-kiosk --diagnose` prints it; the staff screen shows it. The fields
 * and the health rules are documented in docs/operations.md.
 *
 * Nothing personal is ever collected: cards are only asked which kind they
 * are (card.h, recognise), never read.
 */
#ifndef KS_DIAG_H
#define KS_DIAG_H

#include "config.h"
#include "printer.h"

#include <cjson/cJSON.h>

/* Below this much free space in the state directory the kiosk is unhealthy. */
#define KS_DIAG_MIN_FREE_MIB 50
/* A server certificate closer than this to its end is a warning. */
#define KS_DIAG_CERT_WARN_DAYS 30
/* A clock further than this from the backend's is a warning (the server refuses 300 s). */
#define KS_DIAG_SKEW_WARN_S 60

/*
 * What only the running kiosk knows, filled by the UI thread and copied to
 * the thread that collects. Zeroed fields mean "not known yet".
 */
typedef struct {
    /* The display as measured. */
    char video_driver[32];  /* SDL_GetCurrentVideoDriver() */
    int window_w, window_h; /* the renderer's output size in pixels */
    int canvas_w, canvas_h; /* the upright canvas the screens are laid out on */
    double dpi;             /* pixels per inch in use (configured, or from the diagonal) */
    int rotate;             /* 0, 90, 180 or 270 */

    /* The printer's last job, as the print queue notified it. */
    int printer_has_job; /* 0: no job since start (the fields below are unused) */
    ks_print_result_t printer_last_result;
    char printer_last_reason[160]; /* the transport's words, no personal data */
    long long printer_last_at;     /* unix s */
    /* The printer as the print queue last saw it (DLE EOT paper and cover where it answers). */
    int printer_seen; /* 0: no queue, or it has not looked yet */
    ks_printer_status_t printer_status;

    /* The district backend, as the kiosk's own requests found it. */
    long long backend_last_success;  /* unix s of the last OK reply, 0: none since start */
    long long backend_last_error_at; /* unix s of the last failed reply, 0: none since start */
    char backend_last_error[256];    /* that reply's reason (client.h), no personal data */
} ks_diag_live_t;

/*
 * Collects the report. Blocking: it asks pcscd, libusb and the backend (up to
 * the backend's connect and total timeouts). Safe on a worker thread while
 * the kiosk runs: it has its own PC/SC context, libusb context and curl easy
 * handle, and does not touch SDL beyond version queries. live may be NULL
 * (--diagnose): the display section then reports the configured values, and
 * the backend's last success and error come from the probe itself.
 * curl_global_init() must have been called. NULL when out of memory.
 */
cJSON *ks_diag_collect(const ks_config_t *cfg, const ks_diag_live_t *live);

/*
 * The kiosk's last start, kept for --diagnose (which opens no display): ok 1
 * with the driver and size it got, or ok 0 with the reason it could not show
 * anything. Written to <state_dir>/display-status (no personal data in it);
 * failures to write are logged, never fatal.
 */
void ks_diag_record_display(const ks_config_t *cfg, int ok, const char *detail);

/* 1 when the report's "healthy" is true, else 0 (also for NULL or a malformed report). */
int ks_diag_healthy(const cJSON *report);

#endif
