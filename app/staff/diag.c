/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The diagnostics report (diag.h). Each section asks its device or service
 * through the module that owns it (survey.h for PC/SC, usbenum.h for USB,
 * client.h for the backend) and turns the plain data into JSON; what is
 * wrong is said once, in plain English, in "problems" (the exit status of
 * --diagnose) or "warnings" (worth knowing, not a failure). Every field is
 * always present, null when unknown or not applicable, so that a schema can
 * check the report (docs/operations.md, tests/diag/test_diagnose.py).
 */
#include "diag.h"

#include "client.h"
#include "error.h"
#include "geom.h"
#include "log.h"
#include "survey.h"
#include "usbenum.h"
#include "usbids.h"

#include <SDL.h>
#include <SDL_ttf.h>
#include <curl/curl.h>
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <time.h>
#include <unistd.h>

#define MOD "diag"

/* The report under construction. */
typedef struct {
    cJSON *root;
    cJSON *problems; /* failures: the report is unhealthy when this is not empty */
    cJSON *warnings; /* worth knowing, not failures */
    long long now;   /* unix s, when collecting began */
} report_t;

static void say(cJSON *list, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void say(cJSON *list, const char *fmt, ...)
{
    char line[600];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(line, sizeof line, fmt, ap);
    va_end(ap);
    cJSON_AddItemToArray(list, cJSON_CreateString(line));
}

/* ---- JSON helpers: NULL or "" is null ------------------------------------ */

static void put_str(cJSON *o, const char *key, const char *v)
{
    if (v && v[0])
        cJSON_AddStringToObject(o, key, v);
    else
        cJSON_AddNullToObject(o, key);
}

static void put_num(cJSON *o, const char *key, double v)
{
    cJSON_AddNumberToObject(o, key, v);
}

static void put_bool(cJSON *o, const char *key, int v)
{
    cJSON_AddBoolToObject(o, key, v != 0);
}

/* ISO 8601 in local time with the offset as "+08:00" (what docs/backend-api.md uses). */
static void iso_time(long long t, char *out, size_t cap)
{
    time_t tt = (time_t)t;
    struct tm tm;
    if (!localtime_r(&tt, &tm) || strftime(out, cap, "%Y-%m-%dT%H:%M:%S%z", &tm) == 0) {
        out[0] = '\0';
        return;
    }
    size_t n = strlen(out); /* ...+0800: put a colon into the offset */
    if (n >= 5 && n + 1 < cap) {
        memmove(out + n - 1, out + n - 2, 3);
        out[n - 2] = ':';
    }
}

/* A unix time as ISO 8601, null when t is 0 (never). */
static void put_time(cJSON *o, const char *key, long long t)
{
    char buf[40] = "";
    if (t > 0)
        iso_time(t, buf, sizeof buf);
    put_str(o, key, buf);
}

static cJSON *put_obj(cJSON *parent, const char *key)
{
    cJSON *o = cJSON_CreateObject();
    if (o && !cJSON_AddItemToObject(parent, key, o)) {
        cJSON_Delete(o);
        return NULL;
    }
    return o;
}

/* ---- kiosk and versions -------------------------------------------------- */

static void section_kiosk(report_t *r, const ks_config_t *cfg)
{
    cJSON *o = put_obj(r->root, "kiosk");
    put_str(o, "version", KS_VERSION);
    put_str(o, "mode", cfg->mode == KS_MODE_REGISTRY ? "registry" : "service");
    put_str(o, "kiosk_id", cfg->backend.kiosk_id);
}

static void put_sdl_version(cJSON *o, const char *key, const SDL_version *v)
{
    char buf[24];
    snprintf(buf, sizeof buf, "%u.%u.%u", v->major, v->minor, v->patch);
    put_str(o, key, buf);
}

/* Versions need no SDL_Init and no TTF_Init: --diagnose opens no window. */
static void section_versions(report_t *r)
{
    cJSON *o = put_obj(r->root, "versions");
    SDL_version compiled, linked;
    put_str(o, "kiosk", KS_VERSION);
    SDL_VERSION(&compiled);
    SDL_GetVersion(&linked);
    put_sdl_version(o, "sdl_compiled", &compiled);
    put_sdl_version(o, "sdl_linked", &linked);
    SDL_TTF_VERSION(&compiled);
    put_sdl_version(o, "sdl_ttf_compiled", &compiled);
    put_sdl_version(o, "sdl_ttf_linked", TTF_Linked_Version());
    const curl_version_info_data *cv = curl_version_info(CURLVERSION_NOW);
    put_str(o, "libcurl", cv ? cv->version : NULL);
    put_str(o, "libcurl_tls", cv ? cv->ssl_version : NULL);
    put_str(o, "pcsclite", ks_pcsc_library_version());
    char usb[32];
    ks_usb_library_version(usb, sizeof usb);
    put_str(o, "libusb", usb);
    put_str(o, "cjson", cJSON_Version());
}

/* ---- card readers -------------------------------------------------------- */

static void put_reader(cJSON *list, const ks_survey_reader_t *sr)
{
    cJSON *o = cJSON_CreateObject();
    if (!o || !cJSON_AddItemToArray(list, o)) {
        cJSON_Delete(o);
        return;
    }
    char atr[2 * KS_SURVEY_ATR_MAX + 1] = "";
    for (size_t i = 0; i < sr->atr_len; i++)
        snprintf(atr + 2 * i, sizeof atr - 2 * i, "%02X", sr->atr[i]);
    put_str(o, "name", sr->name);
    put_bool(o, "matches", sr->matches);
    put_str(o, "state", ks_reader_state_name(sr->state));
    put_bool(o, "exclusive", sr->exclusive);
    put_str(o, "atr", atr);
    put_str(o, "card_kind",
            sr->kind_check == KS_KIND_RECOGNISED     ? sr->card_kind
            : sr->kind_check == KS_KIND_UNRECOGNISED ? "unrecognised"
                                                     : NULL);
    put_str(o, "card_detail", sr->card_detail);
}

static void section_pcsc(report_t *r, const ks_config_t *cfg)
{
    ks_pcsc_survey_t s;
    ks_pcsc_survey(cfg->card_reader, &s);
    cJSON *o = put_obj(r->root, "pcsc");
    put_bool(o, "enabled", cfg->card_enabled);
    put_str(o, "reader_filter", cfg->card_reader);
    put_bool(o, "running", s.running);
    put_bool(o, "access_refused", s.access_refused);
    put_str(o, "error", s.error_text);
    char code[16] = "";
    if (s.error)
        snprintf(code, sizeof code, "0x%08lX", (unsigned long)s.error & 0xFFFFFFFFul);
    put_str(o, "error_code", code);
    put_num(o, "readers_listed", s.n_readers);
    put_num(o, "readers_matching", s.n_matching);
    cJSON *list = cJSON_AddArrayToObject(o, "readers");
    int kept = s.n_readers < KS_SURVEY_MAX_READERS ? s.n_readers : KS_SURVEY_MAX_READERS;
    for (int i = 0; i < kept; i++)
        put_reader(list, &s.readers[i]);

    if (!cfg->card_enabled)
        return; /* a kiosk without cards: what is there is shown, nothing is missing */
    if (!s.running)
        say(r->problems,
            "The smart card service (pcscd) is not running, so no card can be read: %s. "
            "Start it (systemctl start pcscd.socket pcscd).",
            s.error_text);
    else if (s.access_refused)
        say(r->problems,
            "pcscd refuses this user access to the card readers (polkit: "
            "org.debian.pcsc-lite.access_pcsc / access_card): %s. Allow the kiosk's user in a "
            "polkit rule.",
            s.error_text);
    else if (s.error)
        say(r->problems, "pcscd answered with an error: %s.", s.error_text);
    else if (s.n_matching == 0 && cfg->card_reader[0])
        say(r->problems,
            "No card reader whose name contains \"%s\" ([card] reader) is connected (%d other "
            "reader(s) listed).",
            cfg->card_reader, s.n_readers);
    else if (s.n_matching == 0)
        say(r->problems, "No card reader is connected.");
}

/* ---- USB and the printer ------------------------------------------------- */

static const char *usb_class_name(uint8_t c)
{
    switch (c) {
    case 0x00:
        return "per-interface";
    case 0x01:
        return "audio";
    case 0x02:
        return "communications";
    case 0x03:
        return "hid";
    case 0x06:
        return "image";
    case 0x07:
        return "printer";
    case 0x08:
        return "mass-storage";
    case 0x09:
        return "hub";
    case 0x0A:
        return "cdc-data";
    case 0x0B:
        return "smart-card";
    case 0x0E:
        return "video";
    case 0xE0:
        return "wireless";
    case 0xEF:
        return "miscellaneous";
    case 0xFF:
        return "vendor-specific";
    default:
        return "other";
    }
}

/* The devices found, for the printer section: n (negative when libusb failed). */
typedef struct {
    int n;
    ks_usb_device_t dev[KS_USB_MAX_DEVICES];
} usb_list_t;

static void section_usb(report_t *r, const ks_config_t *cfg, usb_list_t *u)
{
    ks_usb_ids_t ids;
    memset(&ids, 0, sizeof ids);
    if (ks_usb_ids_parse(cfg->printer.ids, &ids) != 0)
        memset(&ids, 0, sizeof ids); /* the config was checked when read: cannot happen */
    u->n = ks_usb_enumerate(u->dev, KS_USB_MAX_DEVICES, &ids);
    cJSON *o = put_obj(r->root, "usb");
    put_bool(o, "available", u->n >= 0);
    put_str(o, "error",
            u->n < 0 ? "libusb cannot start (no USB here, or no access to /dev/bus/usb)" : NULL);
    cJSON *list = cJSON_AddArrayToObject(o, "devices");
    for (int i = 0; i < u->n; i++) {
        const ks_usb_device_t *d = &u->dev[i];
        cJSON *e = cJSON_CreateObject();
        if (!e || !cJSON_AddItemToArray(list, e)) {
            cJSON_Delete(e);
            continue;
        }
        char id[12];
        snprintf(id, sizeof id, "%04x:%04x", d->vid, d->pid);
        uint8_t cls = d->device_class ? d->device_class : d->iface_class;
        put_str(e, "id", id);
        put_num(e, "bus", d->bus);
        put_num(e, "address", d->address);
        put_num(e, "class", cls);
        put_str(e, "class_name", usb_class_name(cls));
        put_str(e, "manufacturer", d->manufacturer);
        put_str(e, "product", d->product);
        put_str(e, "role", ks_usb_role_name(d->role));
    }
    if (u->n < 0)
        say(r->warnings, "USB devices cannot be listed: libusb cannot start.");
}

/*
 * Whether the printer is there: a device node must exist and be writable by
 * us (it is never opened here: a job may be printing); over libusb, a device
 * whose role is printer must be connected. Returns found, with a detail.
 */
static int printer_found(const ks_config_t *cfg, const usb_list_t *u, char *detail, size_t len)
{
    const char *path = cfg->printer.device;
    if (path[0]) {
        struct stat st;
        if (stat(path, &st) != 0) {
            snprintf(detail, len, "%s: %s (not connected, switched off, or the wrong path)", path,
                     strerror(errno));
            return 0;
        }
        const char *what = S_ISCHR(st.st_mode) ? "a character device" : "not a character device";
        if (faccessat(AT_FDCWD, path, W_OK, AT_EACCESS) != 0) {
            snprintf(detail, len, "%s exists (%s) but this user may not write to it: %s", path,
                     what, strerror(errno));
            return 0;
        }
        snprintf(detail, len, "%s exists (%s) and is writable", path, what);
        return 1;
    }
    if (u->n < 0) {
        snprintf(detail, len, "USB devices cannot be listed (libusb cannot start)");
        return 0;
    }
    for (int i = 0; i < u->n; i++) {
        const ks_usb_device_t *d = &u->dev[i];
        if (d->role == KS_USB_ROLE_PRINTER) {
            snprintf(detail, len, "USB %04x:%04x %s %s (bus %u, address %u)", d->vid, d->pid,
                     d->manufacturer[0] ? d->manufacturer : "-", d->product[0] ? d->product : "-",
                     d->bus, d->address);
            return 1;
        }
    }
    snprintf(detail, len, "no USB printer is connected (class 7, or a VID:PID in [printer] ids)");
    return 0;
}

static void section_printer(report_t *r, const ks_config_t *cfg, const usb_list_t *u,
                            const ks_diag_live_t *live)
{
    char detail[700];
    int found = printer_found(cfg, u, detail, sizeof detail);
    cJSON *o = put_obj(r->root, "printer");
    put_bool(o, "enabled", cfg->printer.enabled);
    put_str(o, "transport", cfg->printer.device[0] ? "device" : "usb");
    put_str(o, "device", cfg->printer.device);
    put_bool(o, "found", found);
    put_str(o, "detail", detail);
    if (live && live->printer_has_job) {
        cJSON *job = put_obj(o, "last_job");
        put_str(job, "result", ks_print_result_name(live->printer_last_result));
        put_str(job, "reason", live->printer_last_reason);
        put_time(job, "at", live->printer_last_at);
    } else {
        cJSON_AddNullToObject(o, "last_job");
    }
    if (live && live->printer_seen) {
        const ks_printer_status_t *st = &live->printer_status;
        cJSON *seen = put_obj(o, "seen");
        put_bool(seen, "connected", st->connected == 1);
        put_str(seen, "paper", ks_paper_name(st->paper));
        put_str(seen, "cover", ks_cover_name(st->cover));
        put_str(seen, "why", st->connected == 1 ? NULL : st->why);
        if (st->connected == 1 && st->paper == KS_PAPER_OUT)
            say(r->problems, "The receipt printer is out of paper.");
        else if (st->connected == 1 && st->cover == KS_COVER_OPEN)
            say(r->problems, "The receipt printer's cover is open.");
        else if (st->connected == 1 && st->paper == KS_PAPER_NEAR_END)
            say(r->warnings, "The receipt printer's paper roll is nearly used up.");
    } else {
        cJSON_AddNullToObject(o, "seen");
    }
    if (cfg->printer.enabled && !found)
        say(r->problems, "The receipt printer is not found: %s.", detail);
}

/* ---- the district backend ------------------------------------------------ */

/* Whole days until the server certificate ends (rounded down: negative once it has). */
static long long cert_days(const ks_backend_probe_t *p, long long now)
{
    return (long long)floor((double)(p->cert_expires - now) / 86400.0);
}

static void backend_verdict(report_t *r, const ks_backend_probe_t *p, int rc)
{
    if (rc < 0)
        say(r->problems, "The backend settings cannot be used: %s.", p->reason);
    else if (!p->reachable)
        say(r->problems, "The district backend cannot be reached (%s): %s.",
            ks_net_result_str(p->result), p->reason);
    else if (p->result != KS_NET_OK)
        say(r->problems, "The district backend answers but %s: %s.",
            p->result == KS_NET_HTTP ? "refuses the kiosk's request"
                                     : "gives an answer the kiosk cannot use",
            p->reason);
    if (p->cert_expires) {
        long long days = cert_days(p, r->now);
        if (days < KS_DIAG_CERT_WARN_DAYS)
            say(r->warnings, "The backend's server certificate %s %lld day(s).",
                days < 0 ? "expired" : "expires in", days < 0 ? -days : days);
    }
    if (p->have_skew && llabs(p->skew_s) > KS_DIAG_SKEW_WARN_S)
        say(r->warnings,
            "The kiosk's clock is %lld s %s the backend's: check time synchronisation (NTP).",
            llabs(p->skew_s), p->skew_s > 0 ? "behind" : "ahead of");
}

static void section_backend(report_t *r, const ks_config_t *cfg, const ks_diag_live_t *live)
{
    ks_backend_probe_t p;
    memset(&p, 0, sizeof p);
    p.tls_ms = -1;
    int rc = KS_OK;
    if (cfg->backend.enabled) {
        ks_backend_config_t bc;
        rc = ks_backend_config_from(&bc, cfg, p.reason, sizeof p.reason);
        if (rc == 0)
            rc = ks_backend_probe(&bc, &p);
        if (rc < 0)
            p.result = KS_NET_LOCAL;
        if (!p.at)
            p.at = r->now;
    }
    int probed = cfg->backend.enabled != 0;
    cJSON *o = put_obj(r->root, "backend");
    put_bool(o, "enabled", cfg->backend.enabled);
    put_str(o, "url", cfg->backend.url);
    put_bool(o, "probed", probed);
    put_bool(o, "reachable", p.reachable);
    put_str(o, "result", probed ? ks_net_result_str(p.result) : NULL);
    if (p.status > 0)
        put_num(o, "http_status", (double)p.status);
    else
        cJSON_AddNullToObject(o, "http_status");
    put_str(o, "error_code", p.error_code);
    put_str(o, "error", p.reason);
    if (p.tls_ms >= 0)
        put_num(o, "tls_handshake_ms", round(p.tls_ms * 10) / 10);
    else
        cJSON_AddNullToObject(o, "tls_handshake_ms");
    if (probed && rc == 0)
        put_num(o, "elapsed_ms", round(p.elapsed_ms));
    else
        cJSON_AddNullToObject(o, "elapsed_ms");
    put_time(o, "cert_expires", p.cert_expires);
    if (p.cert_expires)
        put_num(o, "cert_expiry_days", (double)cert_days(&p, r->now));
    else
        cJSON_AddNullToObject(o, "cert_expiry_days");
    if (p.have_skew)
        put_num(o, "clock_skew_s", (double)p.skew_s);
    else
        cJSON_AddNullToObject(o, "clock_skew_s");
    put_str(o, "clock_skew_source",
            !p.have_skew              ? NULL
            : p.skew_from_server_time ? "server_time"
                                      : "date_header");
    /* The history: the running kiosk's own requests, else this probe. */
    put_str(o, "history", live ? "kiosk" : "probe");
    if (live) {
        put_time(o, "last_success", live->backend_last_success);
        put_str(o, "last_error", live->backend_last_error);
        put_time(o, "last_error_at", live->backend_last_error_at);
    } else {
        int ok = probed && p.result == KS_NET_OK;
        put_time(o, "last_success", ok ? p.at : 0);
        put_str(o, "last_error", ok ? NULL : p.reason);
        put_time(o, "last_error_at", probed && !ok ? p.at : 0);
    }
    if (probed)
        backend_verdict(r, &p, rc);
}

/* ---- display and storage ------------------------------------------------- */

#define DISPLAY_STATUS "display-status"

void ks_diag_record_display(const ks_config_t *cfg, int ok, const char *detail)
{
    char path[KS_CONFIG_PATH_MAX + 32], tmp[KS_CONFIG_PATH_MAX + 40];
    snprintf(path, sizeof path, "%s/" DISPLAY_STATUS, cfg->state_dir);
    snprintf(tmp, sizeof tmp, "%s.tmp", path);
    FILE *f = fopen(tmp, "w");
    if (!f) {
        ks_log(KS_LOG_WARN, "diag", "cannot record the display's state in %s: %s", path,
               strerror(errno));
        return;
    }
    /* One word, the time, then the detail on one line: easy to read back strictly. */
    fprintf(f, "%s %lld ", ok ? "ok" : "failed", (long long)time(NULL));
    for (const char *c = detail ? detail : ""; *c; c++)
        fputc(*c == '\n' || *c == '\r' ? ' ' : *c, f);
    fputc('\n', f);
    if (fclose(f) != 0 || rename(tmp, path) != 0) {
        ks_log(KS_LOG_WARN, "diag", "cannot record the display's state in %s: %s", path,
               strerror(errno));
        unlink(tmp);
    }
}

/* The last start as the kiosk recorded it; null when there is no (usable) record. */
static void last_start(report_t *r, cJSON *o, const ks_config_t *cfg)
{
    cJSON_AddNullToObject(o, "last_start");
    char path[KS_CONFIG_PATH_MAX + 32], line[600], word[8];
    long long at = 0;
    int used = 0;
    snprintf(path, sizeof path, "%s/" DISPLAY_STATUS, cfg->state_dir);
    FILE *f = fopen(path, "r");
    if (!f)
        return;
    int got = fgets(line, sizeof line, f) != NULL;
    fclose(f);
    if (!got || sscanf(line, "%7s %lld %n", word, &at, &used) < 2 || used <= 0 ||
        (strcmp(word, "ok") != 0 && strcmp(word, "failed") != 0))
        return; /* damaged: as if none */
    char *detail = line + used;
    detail[strcspn(detail, "\n")] = '\0';
    cJSON_DeleteItemFromObject(o, "last_start");
    cJSON *ls = put_obj(o, "last_start");
    int ok = strcmp(word, "ok") == 0;
    put_bool(ls, "ok", ok);
    put_time(ls, "at", at);
    put_str(ls, "detail", detail);
    if (!ok)
        say(r->problems, "The kiosk could not show its screen when it last started: %s", detail);
}

static void section_display(report_t *r, const ks_config_t *cfg, const ks_diag_live_t *live)
{
    cJSON *o = put_obj(r->root, "display");
    int measured = live && live->window_w > 0 && live->window_h > 0;
    int ww = measured ? live->window_w : cfg->width, wh = measured ? live->window_h : cfg->height;
    int cw = 0, ch = 0, rotate = measured ? live->rotate : cfg->rotate;
    double dpi;
    if (measured) {
        cw = live->canvas_w;
        ch = live->canvas_h;
        dpi = live->dpi;
    } else {
        ks_geom_logical_size(rotate, ww, wh, &cw, &ch);
        dpi = ks_geom_px_per_mm(cw, ch, cfg->dpi, cfg->diagonal_in) * 25.4;
    }
    put_str(o, "source", measured ? "measured" : "configured");
    put_str(o, "video_driver", measured ? live->video_driver : NULL);
    put_num(o, "window_width", ww);
    put_num(o, "window_height", wh);
    put_num(o, "canvas_width", cw);
    put_num(o, "canvas_height", ch);
    put_num(o, "dpi", round(dpi * 10) / 10);
    put_num(o, "rotate", rotate);
    put_num(o, "diagonal_in", cfg->diagonal_in);
    last_start(r, o, cfg);
}

static void section_storage(report_t *r, const ks_config_t *cfg)
{
    const char *dir = cfg->state_dir;
    struct stat st;
    struct statvfs vfs;
    int exists = stat(dir, &st) == 0 && S_ISDIR(st.st_mode);
    /* AT_EACCESS: as the effective user, the one the kiosk runs as. EROFS counts too. */
    int writable = exists && faccessat(AT_FDCWD, dir, W_OK | X_OK, AT_EACCESS) == 0;
    int have_free = exists && statvfs(dir, &vfs) == 0;
    double free_mib = have_free ? (double)vfs.f_bavail * (double)vfs.f_frsize / 1048576.0 : 0;
    cJSON *o = put_obj(r->root, "storage");
    put_str(o, "state_dir", dir);
    put_bool(o, "exists", exists);
    put_bool(o, "writable", writable);
    if (have_free)
        put_num(o, "free_mib", floor(free_mib));
    else
        cJSON_AddNullToObject(o, "free_mib");
    put_num(o, "min_free_mib", KS_DIAG_MIN_FREE_MIB);
    if (!exists)
        say(r->problems, "The state directory %s does not exist.", dir);
    else if (!writable)
        say(r->problems, "The state directory %s is not writable by this user.", dir);
    if (have_free && free_mib < KS_DIAG_MIN_FREE_MIB)
        say(r->problems,
            "Only %.0f MiB are free for the state directory %s; the kiosk needs at least %d MiB.",
            floor(free_mib), dir, KS_DIAG_MIN_FREE_MIB);
}

/* ---- the configuration, without secrets ---------------------------------- */

/*
 * Paths are shown, never what the key and secret files hold; the staff PIN
 * hash and the backend's pins only as set or not set.
 */
static void section_config(report_t *r, const ks_config_t *cfg)
{
    static const char *const levels[8] = {[3] = "error", [4] = "warn", [6] = "info", [7] = "debug"};
    cJSON *c = put_obj(r->root, "config");
    cJSON *o = put_obj(c, "kiosk");
    put_str(o, "mode", cfg->mode == KS_MODE_REGISTRY ? "registry" : "service");
    put_str(o, "language", cfg->language);
    put_num(o, "idle_timeout_s", cfg->idle_timeout_s);
    put_num(o, "countdown_s", cfg->countdown_s);
    put_num(o, "message_timeout_s", cfg->message_timeout_s);
    put_str(o, "state_dir", cfg->state_dir);
    put_str(o, "assets_dir", cfg->assets_dir);
    put_str(o, "policies_fallback", cfg->policies_fallback);
    o = put_obj(c, "display");
    put_num(o, "width", cfg->width);
    put_num(o, "height", cfg->height);
    put_num(o, "rotate", cfg->rotate);
    put_num(o, "diagonal_in", cfg->diagonal_in);
    put_num(o, "dpi", cfg->dpi);
    put_num(o, "dim_after_s", cfg->dim_after_s);
    put_bool(o, "elderly_mode", cfg->elderly_default);
    o = put_obj(c, "font");
    put_str(o, "regular", cfg->font_regular);
    put_str(o, "bold", cfg->font_bold);
    put_num(o, "index", cfg->font_index);
    o = put_obj(c, "card");
    put_bool(o, "enabled", cfg->card_enabled);
    put_str(o, "reader", cfg->card_reader);
    o = put_obj(c, "backend");
    put_bool(o, "enabled", cfg->backend.enabled);
    put_str(o, "url", cfg->backend.url);
    put_str(o, "ca", cfg->backend.ca);
    put_str(o, "cert", cfg->backend.cert);
    put_str(o, "key", cfg->backend.key);
    put_str(o, "secret_file", cfg->backend.secret_file);
    put_str(o, "kiosk_id", cfg->backend.kiosk_id);
    put_bool(o, "pin_set", cfg->backend.pin[0]);
    put_bool(o, "backup_pin_set", cfg->backend.backup_pin[0]);
    put_num(o, "connect_timeout_ms", cfg->backend.connect_timeout_ms);
    put_num(o, "timeout_ms", cfg->backend.timeout_ms);
    put_num(o, "attempts", cfg->backend.attempts);
    put_num(o, "max_response_kib", cfg->backend.max_response_kib);
    put_num(o, "heartbeat_s", cfg->backend.heartbeat_s);
    o = put_obj(c, "marriage");
    put_str(o, "office", cfg->marriage.office);
    put_str(o, "holidays", cfg->marriage.holidays);
    put_num(o, "min_notice_workdays", cfg->marriage.min_notice_workdays);
    put_num(o, "horizon_days", cfg->marriage.horizon_days);
    put_num(o, "cancel_notice_hours", cfg->marriage.cancel_notice_hours);
    put_num(o, "second_card_timeout_s", cfg->marriage.second_card_timeout_s);
    o = put_obj(c, "printer");
    put_bool(o, "enabled", cfg->printer.enabled);
    put_str(o, "device", cfg->printer.device);
    put_str(o, "ids", cfg->printer.ids);
    put_str(o, "qr", cfg->printer.qr_raster ? "raster" : "command");
    put_num(o, "patience_s", cfg->printer.patience_s);
    o = put_obj(c, "staff");
    put_bool(o, "pin_set", cfg->staff.pin_hash[0]);
    o = put_obj(c, "log");
    put_str(o, "target", cfg->log_target == KS_LOG_TO_JOURNALD ? "journald" : "stderr");
    put_str(o, "level", (unsigned)cfg->log_level < 8 ? levels[cfg->log_level] : NULL);
}

/* ---- the report ---------------------------------------------------------- */

cJSON *ks_diag_collect(const ks_config_t *cfg, const ks_diag_live_t *live)
{
    if (!cfg)
        return NULL;
    report_t r;
    r.now = (long long)time(NULL);
    /* The verdict first, for a person reading the output; filled in at the end. */
    r.root = cJSON_CreateObject();
    cJSON_AddFalseToObject(r.root, "healthy");
    r.problems = cJSON_AddArrayToObject(r.root, "problems");
    r.warnings = cJSON_AddArrayToObject(r.root, "warnings");
    usb_list_t *usb = malloc(sizeof *usb);
    if (!r.problems || !r.warnings || !usb) {
        cJSON_Delete(r.root);
        free(usb);
        return NULL;
    }
    put_num(r.root, "schema", 1);
    put_time(r.root, "generated_at", r.now);
    put_str(r.root, "source", live ? "kiosk" : "diagnose");
    section_kiosk(&r, cfg);
    section_versions(&r);
    section_pcsc(&r, cfg);
    section_usb(&r, cfg, usb);
    section_printer(&r, cfg, usb, live);
    section_backend(&r, cfg, live);
    section_display(&r, cfg, live);
    section_storage(&r, cfg);
    section_config(&r, cfg);
    free(usb);

    int healthy = cJSON_GetArraySize(r.problems) == 0;
    cJSON *verdict = cJSON_CreateBool(healthy);
    if (!verdict || !cJSON_ReplaceItemInObjectCaseSensitive(r.root, "healthy", verdict)) {
        cJSON_Delete(verdict);
        verdict = NULL;
    }
    if (!verdict || !cJSON_GetObjectItemCaseSensitive(r.root, "config")) {
        cJSON_Delete(r.root); /* something ran out of memory on the way */
        return NULL;
    }
    /* Debug only: the staff screen collects again every few seconds. */
    ks_log(KS_LOG_DEBUG, MOD, "diagnostics: %s, %d problem(s)", healthy ? "healthy" : "unhealthy",
           cJSON_GetArraySize(r.problems));
    return r.root;
}

int ks_diag_healthy(const cJSON *report)
{
    const cJSON *h = cJSON_GetObjectItemCaseSensitive(report, "healthy");
    return cJSON_IsTrue(h) ? 1 : 0;
}
