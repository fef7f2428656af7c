/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Kiosk configuration (see config.h). The file is parsed with libinih through
 * inifile.h (physical line numbers, over-long lines rejected); every key is
 * described once in `keys[]`, so validation and error messages come from one
 * table.
 */
#include "config.h"

#include "error.h"
#include "inifile.h"
#include "log.h"
#include "usbids.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* Where the bundled, dated policy data lives when the config does not say. */
#ifndef KS_DEFAULT_HOLIDAYS
#define KS_DEFAULT_HOLIDAYS "/usr/share/civic-kiosk/holidays.txt"
#endif
#ifndef KS_DEFAULT_POLICIES
#define KS_DEFAULT_POLICIES "/usr/share/civic-kiosk/policies-fallback.json"
#endif

enum key_id {
    K_MODE,
    K_LANGUAGE,
    K_IDLE_TIMEOUT,
    K_COUNTDOWN,
    K_MESSAGE_TIMEOUT,
    K_STATE_DIR,
    K_ASSETS_DIR,
    K_POLICIES_FALLBACK,
    K_WIDTH,
    K_HEIGHT,
    K_ROTATE,
    K_DIAGONAL,
    K_DPI,
    K_DIM_AFTER,
    K_ELDERLY,
    K_FONT_REGULAR,
    K_FONT_BOLD,
    K_FONT_INDEX,
    K_LOG_TARGET,
    K_LOG_LEVEL,
    K_CARD_ENABLED,
    K_CARD_READER,
    K_BE_ENABLED,
    K_BE_URL,
    K_BE_CA,
    K_BE_CERT,
    K_BE_KEY,
    K_BE_SECRET,
    K_BE_KIOSK_ID,
    K_BE_PIN,
    K_BE_BACKUP_PIN,
    K_BE_CONNECT_TIMEOUT,
    K_BE_TIMEOUT,
    K_BE_ATTEMPTS,
    K_BE_MAX_KIB,
    K_BE_HEARTBEAT,
    K_MA_OFFICE,
    K_MA_HOLIDAYS,
    K_MA_NOTICE,
    K_MA_HORIZON,
    K_MA_CANCEL_HOURS,
    K_MA_SECOND_CARD,
    K_PR_ENABLED,
    K_PR_DEVICE,
    K_PR_IDS,
    K_PR_QR,
    K_PR_PATIENCE,
    K_ST_PIN_HASH,
    K_COUNT
};

typedef enum {
    V_INT,    /* integer in [min, max], or 0 as well when zero_ok */
    V_REAL,   /* finite number in [min, max], or 0 as well when zero_ok */
    V_CHOICE, /* one of the words in `choices` */
    V_PATH,   /* shorter than KS_CONFIG_PATH_MAX; empty only when zero_ok */
} value_kind_t;

typedef struct {
    const char *word;
    int value;
} choice_t;

typedef struct {
    const char *section;
    const char *name;
    value_kind_t kind;
    long min, max;
    int zero_ok;
    const choice_t *choices; /* NULL-terminated */
    const char *expected;    /* V_CHOICE: the accepted words, for the message */
} key_def_t;

static const choice_t mode_choices[] = {
    {"service", KS_MODE_SERVICE}, {"registry", KS_MODE_REGISTRY}, {NULL, 0}};
/* The value is an index: the word itself is copied into cfg->language. */
static const choice_t language_choices[] = {{"zh_CN", 0}, {"en", 1}, {NULL, 0}};
static const choice_t rotate_choices[] = {
    {"0", 0}, {"90", 90}, {"180", 180}, {"270", 270}, {NULL, 0}};
static const choice_t bool_choices[] = {{"true", 1}, {"false", 0}, {"yes", 1}, {"no", 0}, {"1", 1},
                                        {"0", 0},    {"on", 1},    {"off", 0}, {NULL, 0}};
static const choice_t target_choices[] = {
    {"stderr", KS_LOG_TO_STDERR}, {"journald", KS_LOG_TO_JOURNALD}, {NULL, 0}};
static const choice_t qr_choices[] = {{"command", 0}, {"raster", 1}, {NULL, 0}};
static const choice_t level_choices[] = {{"error", KS_LOG_ERROR},
                                         {"warn", KS_LOG_WARN},
                                         {"info", KS_LOG_INFO},
                                         {"debug", KS_LOG_DEBUG},
                                         {NULL, 0}};

/* Indexed by enum key_id. */
static const key_def_t keys[K_COUNT] = {
    [K_MODE] = {"kiosk", "mode", V_CHOICE, 0, 0, 0, mode_choices, "service or registry"},
    [K_LANGUAGE] = {"kiosk", "language", V_CHOICE, 0, 0, 0, language_choices, "zh_CN or en"},
    [K_IDLE_TIMEOUT] = {"kiosk", "idle_timeout_s", V_INT, 10, 3600, 0, NULL, NULL},
    [K_COUNTDOWN] = {"kiosk", "countdown_s", V_INT, 20, 120, 0, NULL, NULL},
    [K_MESSAGE_TIMEOUT] = {"kiosk", "message_timeout_s", V_INT, 5, 600, 0, NULL, NULL},
    [K_STATE_DIR] = {"kiosk", "state_dir", V_PATH, 0, 0, 0, NULL, NULL},
    [K_ASSETS_DIR] = {"kiosk", "assets_dir", V_PATH, 0, 0, 1, NULL, NULL},
    [K_POLICIES_FALLBACK] = {"kiosk", "policies_fallback", V_PATH, 0, 0, 0, NULL, NULL},
    [K_WIDTH] = {"display", "width", V_INT, 320, 7680, 0, NULL, NULL},
    [K_HEIGHT] = {"display", "height", V_INT, 320, 7680, 0, NULL, NULL},
    [K_ROTATE] = {"display", "rotate", V_CHOICE, 0, 0, 0, rotate_choices, "0, 90, 180 or 270"},
    [K_DIAGONAL] = {"display", "diagonal_in", V_REAL, 5, 100, 1, NULL, NULL},
    [K_DPI] = {"display", "dpi", V_INT, 50, 600, 1, NULL, NULL},
    [K_DIM_AFTER] = {"display", "dim_after_s", V_INT, 10, 86400, 1, NULL, NULL},
    [K_ELDERLY] = {"display", "elderly_mode", V_CHOICE, 0, 0, 0, bool_choices,
                   "true, false, yes, no, on, off, 1 or 0"},
    [K_FONT_REGULAR] = {"font", "regular", V_PATH, 0, 0, 0, NULL, NULL},
    [K_FONT_BOLD] = {"font", "bold", V_PATH, 0, 0, 0, NULL, NULL},
    [K_FONT_INDEX] = {"font", "index", V_INT, 0, 15, 0, NULL, NULL},
    [K_LOG_TARGET] = {"log", "target", V_CHOICE, 0, 0, 0, target_choices, "stderr or journald"},
    [K_CARD_ENABLED] = {"card", "enabled", V_CHOICE, 0, 0, 0, bool_choices,
                        "true, false, yes, no, on, off, 1 or 0"},
    [K_CARD_READER] = {"card", "reader", V_PATH, 0, 0, 1, NULL, NULL},
    [K_LOG_LEVEL] = {"log", "level", V_CHOICE, 0, 0, 0, level_choices,
                     "error, warn, info or debug"},
    [K_BE_ENABLED] = {"backend", "enabled", V_CHOICE, 0, 0, 0, bool_choices,
                      "true, false, yes, no, on, off, 1 or 0"},
    [K_BE_URL] = {"backend", "url", V_PATH, 0, 0, 0, NULL, NULL},
    [K_BE_CA] = {"backend", "ca", V_PATH, 0, 0, 0, NULL, NULL},
    [K_BE_CERT] = {"backend", "cert", V_PATH, 0, 0, 0, NULL, NULL},
    [K_BE_KEY] = {"backend", "key", V_PATH, 0, 0, 1, NULL, NULL},
    [K_BE_SECRET] = {"backend", "secret_file", V_PATH, 0, 0, 0, NULL, NULL},
    [K_BE_KIOSK_ID] = {"backend", "kiosk_id", V_PATH, 0, 0, 0, NULL, NULL},
    [K_BE_PIN] = {"backend", "pin", V_PATH, 0, 0, 1, NULL, NULL},
    [K_BE_BACKUP_PIN] = {"backend", "backup_pin", V_PATH, 0, 0, 1, NULL, NULL},
    [K_BE_CONNECT_TIMEOUT] = {"backend", "connect_timeout_ms", V_INT, 100, 60000, 0, NULL, NULL},
    [K_BE_TIMEOUT] = {"backend", "timeout_ms", V_INT, 500, 120000, 0, NULL, NULL},
    [K_BE_ATTEMPTS] = {"backend", "attempts", V_INT, 1, 10, 0, NULL, NULL},
    [K_BE_MAX_KIB] = {"backend", "max_response_kib", V_INT, 4, 16384, 0, NULL, NULL},
    [K_BE_HEARTBEAT] = {"backend", "heartbeat_s", V_INT, 10, 86400, 1, NULL, NULL},
    [K_MA_OFFICE] = {"marriage", "office", V_PATH, 0, 0, 1, NULL, NULL},
    [K_MA_HOLIDAYS] = {"marriage", "holidays", V_PATH, 0, 0, 0, NULL, NULL},
    [K_MA_NOTICE] = {"marriage", "min_notice_workdays", V_INT, 1, 60, 1, NULL, NULL},
    [K_MA_HORIZON] = {"marriage", "horizon_days", V_INT, 1, 61, 0, NULL, NULL},
    [K_MA_CANCEL_HOURS] = {"marriage", "cancel_notice_hours", V_INT, 1, 720, 1, NULL, NULL},
    [K_MA_SECOND_CARD] = {"marriage", "second_card_timeout_s", V_INT, 10, 600, 0, NULL, NULL},
    [K_PR_ENABLED] = {"printer", "enabled", V_CHOICE, 0, 0, 0, bool_choices,
                      "true, false, yes, no, on, off, 1 or 0"},
    [K_PR_DEVICE] = {"printer", "device", V_PATH, 0, 0, 1, NULL, NULL},
    [K_PR_IDS] = {"printer", "ids", V_PATH, 0, 0, 1, NULL, NULL},
    [K_PR_QR] = {"printer", "qr", V_CHOICE, 0, 0, 0, qr_choices, "command or raster"},
    [K_PR_PATIENCE] = {"printer", "patience_s", V_INT, 5, 600, 0, NULL, NULL},
    [K_ST_PIN_HASH] = {"staff", "pin_hash", V_PATH, 0, 0, 1, NULL, NULL},
};

static const char *const sections[] = {"kiosk",   "display",  "font",    "log",  "card",
                                       "backend", "marriage", "printer", "staff"};

typedef struct {
    ks_config_t cfg;     /* working copy: committed to the caller only on success */
    int set_on[K_COUNT]; /* line where each key was set, for duplicate reports */
} parse_t;

static int is_known_section(const char *name)
{
    for (size_t i = 0; i < sizeof sections / sizeof sections[0]; i++) {
        if (strcmp(name, sections[i]) == 0)
            return 1;
    }
    return 0;
}

/*
 * inih never calls the handler for a section header, so an unknown section is
 * caught here, on its own line (an empty unknown section would otherwise pass).
 */
static int on_section(void *user, ks_ini_t *ini, const char *section)
{
    (void)user;
    if (strlen(section) >= 64) {
        ks_ini_fail(ini, "unknown section [%.*s...]", 32, section);
        return KS_E_PARSE;
    }
    if (!is_known_section(section)) {
        ks_ini_fail(ini, "unknown section [%s]", section);
        return KS_E_PARSE;
    }
    return KS_OK;
}

/* strtol with the checks it lacks: something parsed, nothing left over, no overflow. */
static int parse_long(const char *s, long *out)
{
    char *end = NULL;
    errno = 0;
    long v = strtol(s, &end, 10);
    if (end == s || *end != '\0' || errno == ERANGE)
        return -1;
    *out = v;
    return 0;
}

static int parse_real(const char *s, double *out)
{
    char *end = NULL;
    errno = 0;
    double v = strtod(s, &end);
    if (end == s || *end != '\0' || errno == ERANGE || !isfinite(v))
        return -1;
    *out = v;
    return 0;
}

static void store_int(ks_config_t *c, enum key_id id, int v)
{
    switch (id) {
    case K_MODE:
        c->mode = v == KS_MODE_REGISTRY ? KS_MODE_REGISTRY : KS_MODE_SERVICE;
        break;
    case K_LANGUAGE:
        snprintf(c->language, sizeof c->language, "%s", language_choices[v].word);
        break;
    case K_IDLE_TIMEOUT:
        c->idle_timeout_s = v;
        break;
    case K_COUNTDOWN:
        c->countdown_s = v;
        break;
    case K_MESSAGE_TIMEOUT:
        c->message_timeout_s = v;
        break;
    case K_WIDTH:
        c->width = v;
        break;
    case K_HEIGHT:
        c->height = v;
        break;
    case K_ROTATE:
        c->rotate = v;
        break;
    case K_DPI:
        c->dpi = v;
        break;
    case K_DIM_AFTER:
        c->dim_after_s = v;
        break;
    case K_ELDERLY:
        c->elderly_default = v;
        break;
    case K_FONT_INDEX:
        c->font_index = v;
        break;
    case K_LOG_TARGET:
        c->log_target = v == KS_LOG_TO_JOURNALD ? KS_LOG_TO_JOURNALD : KS_LOG_TO_STDERR;
        break;
    case K_LOG_LEVEL:
        c->log_level = v;
        break;
    case K_CARD_ENABLED:
        c->card_enabled = v;
        break;
    case K_BE_ENABLED:
        c->backend.enabled = v;
        break;
    case K_BE_CONNECT_TIMEOUT:
        c->backend.connect_timeout_ms = v;
        break;
    case K_BE_TIMEOUT:
        c->backend.timeout_ms = v;
        break;
    case K_BE_ATTEMPTS:
        c->backend.attempts = v;
        break;
    case K_BE_MAX_KIB:
        c->backend.max_response_kib = v;
        break;
    case K_BE_HEARTBEAT:
        c->backend.heartbeat_s = v;
        break;
    case K_MA_NOTICE:
        c->marriage.min_notice_workdays = v;
        break;
    case K_MA_HORIZON:
        c->marriage.horizon_days = v;
        break;
    case K_MA_CANCEL_HOURS:
        c->marriage.cancel_notice_hours = v;
        break;
    case K_MA_SECOND_CARD:
        c->marriage.second_card_timeout_s = v;
        break;
    case K_PR_ENABLED:
        c->printer.enabled = v;
        break;
    case K_PR_QR:
        c->printer.qr_raster = v;
        break;
    case K_PR_PATIENCE:
        c->printer.patience_s = v;
        break;
    default:
        break;
    }
}

static char *path_field(ks_config_t *c, enum key_id id)
{
    switch (id) {
    case K_STATE_DIR:
        return c->state_dir;
    case K_ASSETS_DIR:
        return c->assets_dir;
    case K_POLICIES_FALLBACK:
        return c->policies_fallback;
    case K_FONT_REGULAR:
        return c->font_regular;
    case K_FONT_BOLD:
        return c->font_bold;
    case K_CARD_READER:
        return c->card_reader;
    case K_BE_URL:
        return c->backend.url;
    case K_BE_CA:
        return c->backend.ca;
    case K_BE_CERT:
        return c->backend.cert;
    case K_BE_KEY:
        return c->backend.key;
    case K_BE_SECRET:
        return c->backend.secret_file;
    case K_BE_KIOSK_ID:
        return c->backend.kiosk_id;
    case K_BE_PIN:
        return c->backend.pin;
    case K_BE_BACKUP_PIN:
        return c->backend.backup_pin;
    case K_MA_OFFICE:
        return c->marriage.office;
    case K_MA_HOLIDAYS:
        return c->marriage.holidays;
    case K_PR_DEVICE:
        return c->printer.device;
    case K_PR_IDS:
        return c->printer.ids;
    case K_ST_PIN_HASH:
        return c->staff.pin_hash;
    default:
        return NULL;
    }
}

/* Validates one value and stores it; returns KS_OK or KS_E_PARSE (error recorded). */
static int apply(parse_t *p, ks_ini_t *ini, enum key_id id, const char *value)
{
    const key_def_t *k = &keys[id];
    char expected[96];

    switch (k->kind) {
    case V_INT: {
        long v = 0;
        int ok =
            parse_long(value, &v) == 0 && ((v >= k->min && v <= k->max) || (k->zero_ok && v == 0));
        if (!ok) {
            snprintf(expected, sizeof expected, "%san integer from %ld to %ld",
                     k->zero_ok ? "0 or " : "", k->min, k->max);
            return ks_ini_fail_value(ini, k->section, k->name, value, expected);
        }
        store_int(&p->cfg, id, (int)v);
        return KS_OK;
    }
    case V_REAL: {
        double v = 0;
        if (parse_real(value, &v) != 0 ||
            !((v >= (double)k->min && v <= (double)k->max) || (k->zero_ok && v == 0))) {
            snprintf(expected, sizeof expected, "%sa number from %ld to %ld",
                     k->zero_ok ? "0 or " : "", k->min, k->max);
            return ks_ini_fail_value(ini, k->section, k->name, value, expected);
        }
        p->cfg.diagonal_in = v;
        return KS_OK;
    }
    case V_CHOICE:
        for (int i = 0; k->choices[i].word != NULL; i++) {
            if (strcmp(value, k->choices[i].word) == 0) {
                store_int(&p->cfg, id, id == K_LANGUAGE ? i : k->choices[i].value);
                return KS_OK;
            }
        }
        return ks_ini_fail_value(ini, k->section, k->name, value, k->expected);
    case V_PATH: {
        size_t len = strlen(value);
        if ((len == 0 && !k->zero_ok) || len >= KS_CONFIG_PATH_MAX) {
            snprintf(expected, sizeof expected, "a %spath of at most %d bytes",
                     k->zero_ok ? "" : "non-empty ", KS_CONFIG_PATH_MAX - 1);
            return ks_ini_fail_value(ini, k->section, k->name, value, expected);
        }
        memcpy(path_field(&p->cfg, id), value, len + 1);
        return KS_OK;
    }
    }
    return KS_E_PARSE;
}

static int on_value(void *user, ks_ini_t *ini, const char *section, const char *name,
                    const char *value)
{
    parse_t *p = user;

    if (section[0] == '\0') {
        ks_ini_fail(ini, "key '%s' is outside any section", name);
        return KS_E_PARSE;
    }
    if (!is_known_section(section)) {
        ks_ini_fail(ini, "unknown section [%s]", section);
        return KS_E_PARSE;
    }
    for (int id = 0; id < K_COUNT; id++) {
        if (strcmp(section, keys[id].section) != 0 || strcmp(name, keys[id].name) != 0)
            continue;
        /* A second assignment is almost always an editing mistake: say so. */
        if (p->set_on[id] != 0) {
            ks_ini_fail(ini, "duplicate key '%s' in section [%s] (first set on line %d)", name,
                        section, p->set_on[id]);
            return KS_E_PARSE;
        }
        p->set_on[id] = ks_ini_line(ini);
        return apply(p, ini, (enum key_id)id, value);
    }
    ks_ini_fail(ini, "unknown key '%s' in section [%s]", name, section);
    return KS_E_PARSE;
}

static const ks_ini_spec_t config_ini = {
    .on_value = on_value,
    .on_section = on_section,
    .syntax_error = "syntax error (expected [section] or key = value)",
};

void ks_config_defaults(ks_config_t *cfg)
{
    memset(cfg, 0, sizeof *cfg);
    cfg->mode = KS_MODE_SERVICE;
    snprintf(cfg->language, sizeof cfg->language, "%s", "zh_CN");
    cfg->idle_timeout_s = 60;
    cfg->countdown_s = 30;
    cfg->message_timeout_s = 30;
    snprintf(cfg->state_dir, sizeof cfg->state_dir, "%s", "/var/lib/civic-kiosk");
    cfg->assets_dir[0] = '\0';
    snprintf(cfg->policies_fallback, sizeof cfg->policies_fallback, "%s", KS_DEFAULT_POLICIES);
    cfg->width = 1080;
    cfg->height = 1920;
    cfg->rotate = 0;
    cfg->diagonal_in = 21.5;
    cfg->dpi = 0;
    cfg->dim_after_s = 120;
    cfg->elderly_default = 0;
    snprintf(cfg->font_regular, sizeof cfg->font_regular, "%s",
             "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc");
    snprintf(cfg->font_bold, sizeof cfg->font_bold, "%s",
             "/usr/share/fonts/opentype/noto/NotoSansCJK-Bold.ttc");
    cfg->font_index = 2;
    cfg->log_target = KS_LOG_TO_STDERR;
    cfg->log_level = KS_LOG_INFO;
    cfg->card_enabled = 1;
    cfg->card_reader[0] = '\0';
    cfg->backend.enabled = 0;
    cfg->backend.connect_timeout_ms = 3000;
    cfg->backend.timeout_ms = 10000;
    cfg->backend.attempts = 3;
    cfg->backend.max_response_kib = 256;
    cfg->backend.heartbeat_s = 300;
    cfg->marriage.office[0] = '\0';
    snprintf(cfg->marriage.holidays, sizeof cfg->marriage.holidays, "%s", KS_DEFAULT_HOLIDAYS);
    cfg->marriage.min_notice_workdays = 2;
    cfg->marriage.horizon_days = 30;
    cfg->marriage.cancel_notice_hours = 24;
    cfg->marriage.second_card_timeout_s = 120;
    cfg->printer.enabled = 0;
    cfg->printer.qr_raster = 0;
    cfg->printer.patience_s = 60;
}

/* An office code as the backend uses them (GET /marriage/offices). */
static int office_code_ok(const char *s)
{
    size_t n = strlen(s);
    if (n < 1 || n > 15)
        return 0;
    for (size_t i = 0; i < n; i++) {
        char c = s[i];
        if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
              c == '_' || c == '-'))
            return 0;
    }
    return 1;
}

int ks_config_use_credentials(ks_config_t *cfg, const char *dir)
{
    if (cfg == NULL || dir == NULL || dir[0] != '/')
        return 0;
    char *paths[] = {cfg->backend.cert, cfg->backend.key, cfg->backend.secret_file};
    int used = 0;
    for (size_t i = 0; i < sizeof paths / sizeof paths[0]; i++) {
        char cand[KS_CONFIG_PATH_MAX];
        const char *base = strrchr(paths[i], '/');
        base = base ? base + 1 : paths[i];
        if (!base[0])
            continue;
        int n = snprintf(cand, sizeof cand, "%s/%s", dir, base);
        if (n < 0 || (size_t)n >= sizeof cand || access(cand, R_OK) != 0)
            continue;
        memcpy(paths[i], cand, (size_t)n + 1);
        used++;
    }
    return used;
}

int ks_config_load(ks_config_t *cfg, const char *path, char *err, size_t errlen)
{
    if (err != NULL && errlen > 0)
        err[0] = '\0';
    if (cfg == NULL || path == NULL)
        return KS_E_INVAL;

    parse_t *p = calloc(1, sizeof *p);
    if (p == NULL)
        return KS_E_NOMEM;
    p->cfg = *cfg;
    int ret = ks_ini_parse(path, &config_ini, p, err, errlen);
    if (ret == KS_OK && p->cfg.marriage.office[0] && !office_code_ok(p->cfg.marriage.office)) {
        snprintf(err, errlen,
                 "%s: [marriage] office: '%.32s' is not an office code (1-15 of A-Z a-z 0-9 _ -)",
                 path, p->cfg.marriage.office);
        ret = KS_E_PARSE;
    }
    if (ret == KS_OK && p->cfg.mode == KS_MODE_REGISTRY && !p->cfg.marriage.office[0]) {
        snprintf(err, errlen,
                 "%s: mode = registry needs [marriage] office (the registry's office code)", path);
        ret = KS_E_PARSE;
    }
    ks_usb_ids_t ids;
    if (ret == KS_OK && ks_usb_ids_parse(p->cfg.printer.ids, &ids) != KS_OK) {
        snprintf(err, errlen,
                 "%s: [printer] ids: '%.64s' is not a list of VID:PID (hex, e.g. 04b8:0202, at "
                 "most 16)",
                 path, p->cfg.printer.ids);
        ret = KS_E_PARSE;
    }
    if (ret == KS_OK)
        *cfg = p->cfg;
    free(p);
    return ret;
}
