/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Kiosk configuration: an INI file read with libinih. Every key is known;
 * an unknown section/key or a bad value is an error reported as
 * "file:line: message". Defaults apply to keys that are absent.
 */
#ifndef KS_CONFIG_H
#define KS_CONFIG_H

#include <stddef.h>

#define KS_CONFIG_PATH_MAX 512

typedef enum { KS_MODE_SERVICE = 0, KS_MODE_REGISTRY = 1 } ks_mode_t;
typedef enum { KS_LOG_TO_STDERR = 0, KS_LOG_TO_JOURNALD = 1 } ks_log_target_t;

typedef struct {
    /* [kiosk] */
    ks_mode_t mode;                      /* mode = service | registry */
    char language[8];                    /* language = zh_CN | en (start language) */
    int idle_timeout_s;                  /* idle_timeout_s = 10..3600, default 60 */
    int countdown_s;                     /* countdown_s = 20..120, default 30 */
    int message_timeout_s;               /* message_timeout_s = 5..600, default 30 */
    char state_dir[KS_CONFIG_PATH_MAX];  /* state_dir = path, default /var/lib/civic-kiosk */
    char assets_dir[KS_CONFIG_PATH_MAX]; /* assets_dir = path, default: compiled-in */
    /* policies_fallback = path of the bundled, dated policy data (used offline) */
    char policies_fallback[KS_CONFIG_PATH_MAX];

    /* [display] */
    int width, height; /* width/height = window size when windowed / offscreen, default 1080x1920 */
    int rotate;        /* rotate = 0 | 90 | 180 | 270 */
    double diagonal_in;  /* diagonal_in = 5..100: physical diagonal, default 21.5 */
    int dpi;             /* dpi = 0 (derive from diagonal) or 50..600 */
    int dim_after_s;     /* dim_after_s = 0 (never) or 10..86400, default 120 */
    int elderly_default; /* elderly_mode = true | false: start in elderly mode */

    /* [font] */
    char font_regular[KS_CONFIG_PATH_MAX]; /* regular = path to .ttc/.ttf/.otf */
    char font_bold[KS_CONFIG_PATH_MAX];    /* bold = path */
    int font_index;                        /* index = face index in a collection, default 2 (SC) */

    /* [card] */
    int card_enabled;                     /* enabled = true | false: watch PC/SC readers */
    char card_reader[KS_CONFIG_PATH_MAX]; /* reader = substring of the reader name; empty = any */

    /* [backend]: the district backend (docs/backend-api.md) */
    struct {
        int enabled;                          /* enabled = true | false, default false */
        char url[KS_CONFIG_PATH_MAX];         /* url = https://host:port */
        char ca[KS_CONFIG_PATH_MAX];          /* ca = CA bundle for the server certificate */
        char cert[KS_CONFIG_PATH_MAX];        /* cert = client certificate (PEM or .p12) */
        char key[KS_CONFIG_PATH_MAX];         /* key = client key (PEM; empty with .p12) */
        char secret_file[KS_CONFIG_PATH_MAX]; /* secret_file = device secret, mode 0600 */
        char kiosk_id[KS_CONFIG_PATH_MAX];    /* kiosk_id = JJ-0001 (the certificate's CN) */
        char pin[KS_CONFIG_PATH_MAX];         /* pin = sha256//BASE64 of the server key, or empty */
        char backup_pin[KS_CONFIG_PATH_MAX];  /* backup_pin = sha256//BASE64, or empty */
        int connect_timeout_ms;               /* 100..60000, default 3000 */
        int timeout_ms;                       /* 500..120000, default 10000 */
        int attempts;                         /* 1..10, default 3 (GETs and keyed writes) */
        int max_response_kib;                 /* 4..16384, default 256 */
        int heartbeat_s; /* heartbeat_s = 0 (never) or 10..86400, default 300 */
    } backend;

    /* [marriage]: registration booking (婚姻登记预约) and the registry's check-in */
    struct {
        char office[KS_CONFIG_PATH_MAX]; /* office = the registry's code (mode = registry), or empty
                                          */
        char holidays[KS_CONFIG_PATH_MAX]; /* holidays = public holidays and make-up working days */
        int min_notice_workdays;   /* 0..60, default 2: first bookable = nth working day after today
                                    */
        int horizon_days;          /* 1..61, default 30: last bookable = today + n */
        int cancel_notice_hours;   /* 0..720, default 24: cancel/move until n hours before */
        int second_card_timeout_s; /* 10..600, default 120: the other party's card */
    } marriage;

    /* [printer]: the receipt printer (ESC/POS) */
    struct {
        int enabled;                     /* enabled = true | false, default false */
        char device[KS_CONFIG_PATH_MAX]; /* device = /dev/usb/lp0 (kernel usblp), empty = libusb */
        char ids[KS_CONFIG_PATH_MAX];    /* ids = 04b8:0202, ...: printers not saying class 7 */
        int qr_raster;                   /* qr = command | raster (printers without GS ( k) */
        int patience_s;                  /* patience_s = 5..600, default 60: then given up */
    } printer;

    /* [staff]: the diagnostics screen */
    struct {
        char pin_hash[KS_CONFIG_PATH_MAX]; /* pin_hash = civic-kiosk --hash-pin; empty = closed */
    } staff;

    /* [log] */
    ks_log_target_t log_target; /* target = stderr | journald */
    int log_level;              /* level = error | warn | info | debug (KS_LOG_* values) */
} ks_config_t;

/* Fills every field with its default. */
void ks_config_defaults(ks_config_t *cfg);

/*
 * Reads `path` over the defaults already in `cfg`. On error returns a negative
 * KS_E* code and writes "path:line: message" (or "path: message" when the
 * file cannot be opened) into err (NUL-terminated, truncated to errlen).
 */
int ks_config_load(ks_config_t *cfg, const char *path, char *err, size_t errlen);

/*
 * systemd's LoadCredential=: where dir (the service's $CREDENTIALS_DIRECTORY)
 * holds a file named like the configured [backend] cert, key or secret_file
 * (kiosk.key for /etc/civic-kiosk/pki/kiosk.key), that copy is used, so the
 * service never needs to read the originals. dir NULL or empty changes
 * nothing. Returns how many paths now point into dir.
 */
int ks_config_use_credentials(ks_config_t *cfg, const char *dir);

#endif
