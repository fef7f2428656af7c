/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * civic-kiosk: arguments → config → SDL → event loop → clean exit.
 *
 * The UI thread owns SDL, the kiosk state and the session. The loop renders
 * only when something changed and otherwise sleeps until the next input or
 * timer, so an idle kiosk costs almost no CPU.
 */
#include "client.h"
#include "config.h"
#include "diag.h"
#include "display.h"
#include "error.h"
#include "geom.h"
#include "kiosk.h"
#include "pin.h"
#include "receipt.h"
#include "log.h"
#include "monitor.h"
#include "script.h"
#include "ui.h"

#include <SDL.h>
#include <systemd/sd-daemon.h>
#include <SDL_image.h>
#include <SDL_ttf.h>
#include <curl/curl.h>
#include <errno.h>
#include <getopt.h>
#include <malloc.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <unistd.h>

#if defined(__SANITIZE_ADDRESS__)
#define KS_UNDER_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define KS_UNDER_ASAN 1
#endif
#endif

#ifndef KS_DEFAULT_ASSETS_DIR
#define KS_DEFAULT_ASSETS_DIR "/usr/share/civic-kiosk/assets"
#endif
#define KS_DEFAULT_CONFIG "/etc/civic-kiosk/kiosk.ini"
#define KS_EXIT_USAGE     2
#define KS_MOUSE_FINGER   (-1L) /* the mouse, as one more finger */
#define KS_EXIT_EXPECT    3
/*
 * Where SDL cannot block on input (KMSDRM, offscreen) the loop polls: often
 * while someone is touching the screen, less often when nobody has for a while.
 * 25 ms is well below what a finger notices and keeps an idle kiosk near 0 CPU.
 */
#define KS_POLL_ACTIVE_MS   10
#define KS_POLL_IDLE_MS     25
#define KS_ACTIVE_WINDOW_MS 3000

typedef struct {
    const char *config_path;
    const char *script_path;
    const char *screenshot_dir;
    int windowed;
    int diagnose;
} ks_args_t;

static void usage(FILE *out)
{
    fprintf(out,
            "Usage: civic-kiosk [OPTION]...\n"
            "Self-service kiosk of the district civil-affairs bureau.\n"
            "\n"
            "  --config PATH          configuration file (default %s if it exists)\n"
            "  --windowed             run in a window of the configured size, not fullscreen\n"
            "  --script PATH          drive the kiosk from a test script (see docs/testing.md)\n"
            "  --screenshot-dir DIR   where the script's screenshots are saved (default .)\n"
            "  --hash-pin             read a staff PIN (4-12 digits) from standard input and\n"
            "                         print its hash for the configuration, then exit\n"
            "  --diagnose             print a diagnostics report as JSON (readers, USB, printer,\n"
            "                         backend, display, storage, versions; docs/operations.md)\n"
            "                         without opening a window; exit 0 healthy, 1 not\n"
            "  --help                 show this help and exit\n"
            "  --version              show the version and exit\n"
            "\n"
            "Exit status: 0 normal exit, 1 runtime failure, 2 bad arguments or configuration,\n"
            "3 a script expectation failed.\n",
            KS_DEFAULT_CONFIG);
}

/*
 * --hash-pin: the PIN comes on standard input (never argv, which other users
 * and the shell history see); only its Argon2id hash is printed.
 */
static int hash_pin(void)
{
    char line[64], hash[KS_PIN_HASH_MAX];
    if (!fgets(line, sizeof line, stdin)) {
        fprintf(stderr, "civic-kiosk: --hash-pin: no PIN on standard input\n");
        return KS_EXIT_USAGE;
    }
    line[strcspn(line, "\r\n")] = '\0';
    int rc = ks_pin_hash(line, hash, sizeof hash);
    explicit_bzero(line, sizeof line);
    if (rc != 0) {
        fprintf(stderr, "civic-kiosk: --hash-pin: a staff PIN is 4 to 12 digits\n");
        return KS_EXIT_USAGE;
    }
    printf("%s\n", hash);
    return 0;
}

/*
 * --diagnose: the staff diagnostics report on standard output, for a
 * technician over SSH. Runs before SDL is started: no window, no display
 * needed. Exit status 0 when healthy, 1 when not (the report's problems say
 * why) or when the report cannot be made.
 */
static int diagnose(const ks_config_t *cfg)
{
    cJSON *report = ks_diag_collect(cfg, NULL);
    char *text = report ? cJSON_Print(report) : NULL;
    if (!text) {
        fprintf(stderr, "civic-kiosk: --diagnose: out of memory\n");
        cJSON_Delete(report);
        return 1;
    }
    printf("%s\n", text);
    fflush(stdout);
    int healthy = ks_diag_healthy(report);
    cJSON_free(text);
    cJSON_Delete(report);
    return healthy ? 0 : 1;
}

/* Returns -1 to continue, or an exit status. */
static int parse_args(int argc, char **argv, ks_args_t *a)
{
    enum {
        OPT_CONFIG = 1,
        OPT_WINDOWED,
        OPT_SCRIPT,
        OPT_SHOTS,
        OPT_HELP,
        OPT_VERSION,
        OPT_HASH_PIN,
        OPT_DIAGNOSE
    };
    static const struct option opts[] = {
        {"config", required_argument, NULL, OPT_CONFIG},
        {"windowed", no_argument, NULL, OPT_WINDOWED},
        {"script", required_argument, NULL, OPT_SCRIPT},
        {"screenshot-dir", required_argument, NULL, OPT_SHOTS},
        {"help", no_argument, NULL, OPT_HELP},
        {"version", no_argument, NULL, OPT_VERSION},
        {"hash-pin", no_argument, NULL, OPT_HASH_PIN},
        {"diagnose", no_argument, NULL, OPT_DIAGNOSE},
        {NULL, 0, NULL, 0},
    };
    memset(a, 0, sizeof *a);
    opterr = 0;
    for (;;) {
        int c = getopt_long(argc, argv, ":", opts, NULL);
        if (c == -1)
            break;
        switch (c) {
        case OPT_CONFIG:
            a->config_path = optarg;
            break;
        case OPT_WINDOWED:
            a->windowed = 1;
            break;
        case OPT_SCRIPT:
#if KS_HARNESS
            a->script_path = optarg;
            break;
#else
            fprintf(stderr, "civic-kiosk: --script: this build has no test harness "
                            "(built with -DKIOSK_HARNESS=OFF)\n");
            return KS_EXIT_USAGE;
#endif
        case OPT_SHOTS:
            a->screenshot_dir = optarg;
            break;
        case OPT_HELP:
            usage(stdout);
            return 0;
        case OPT_VERSION:
            printf("civic-kiosk %s\n", KS_VERSION);
            return 0;
        case OPT_HASH_PIN:
            return hash_pin();
        case OPT_DIAGNOSE:
            a->diagnose = 1;
            break;
        case ':':
            fprintf(stderr, "civic-kiosk: option '%s' needs a value\n", argv[optind - 1]);
            return KS_EXIT_USAGE;
        default:
            fprintf(stderr, "civic-kiosk: unknown option '%s' (try --help)\n", argv[optind - 1]);
            return KS_EXIT_USAGE;
        }
    }
    if (optind < argc) {
        fprintf(stderr, "civic-kiosk: unexpected argument '%s' (try --help)\n", argv[optind]);
        return KS_EXIT_USAGE;
    }
    return -1;
}

/* ---- the loop ------------------------------------------------------------ */

typedef struct {
    const ks_config_t *cfg;
    const ks_args_t *args;
    SDL_Window *window;
    ks_ui_t *ui;
    ks_kiosk_t *kiosk;
    ks_script_t *script;
    size_t script_pc;           /* next command */
    uint64_t script_wait_until; /* real ms */
    uint64_t wait_screen_until; /* real ms: deadline of a wait-screen, 0 = none */
    uint64_t clock_offset_ms;   /* added by `advance` */
    int can_block;              /* SDL can sleep until input arrives */
    uint64_t last_input_ms;     /* real ms of the last touch, for the poll rate */
    int quit, exit_code;
    uint64_t watchdog_ms;  /* systemd watchdog ping interval, 0 = none */
    uint64_t watchdog_due; /* real ms of the next ping */
    SDL_FingerID next_finger;
    struct {
        SDL_FingerID id;
        double x, y;
    } fingers[8]; /* the script's fingers still down, most recent last */
    int nfingers;
    Uint32 card_event; /* SDL event type carrying ks_cardev_t payloads */
    ks_pcsc_monitor_t *monitor;
    Uint32 backend_event; /* SDL event type carrying ks_backend_reply_t payloads */
    ks_backend_t *backend;
    Uint32 print_event; /* SDL event type carrying print_result_t payloads */
    ks_receipt_t *printer;
    Uint32 diag_event;        /* SDL event type carrying a diagnostics report (cJSON) */
    SDL_Thread *diag_thread;  /* the last one started (joined before the next) */
    ks_diag_live_t diag_live; /* its input, kept while it runs */
    uint64_t last_iter_ms;    /* real ms of the last look at the event queue */
    uint64_t max_gap_ms;      /* longest time between two looks since the last dump */
} loop_t;

/*
 * Hands a payload from a device or network thread to the UI thread as an SDL
 * user event; the receiver owns it. -1 when the queue refused it (the caller
 * still owns it and must free it).
 */
static int push_payload(Uint32 type, void *payload, const char *what)
{
    SDL_Event e;
    memset(&e, 0, sizeof e);
    e.type = type;
    e.user.data1 = payload;
    if (SDL_PushEvent(&e) == 1)
        return 0;
    ks_log(KS_LOG_ERROR, "main", "%s dropped: %s", what, SDL_GetError());
    return -1;
}

/* The SDL event type for card events, registered once at start. */
static Uint32 card_event_type;

/*
 * Runs on the PC/SC thread: hands the event to the UI thread. The payload
 * belongs to whoever takes it off the queue.
 */
static void post_card_event(ks_cardev_t *ev, void *ud)
{
    (void)ud;
    if (push_payload(card_event_type, ev, "card event") < 0)
        ks_cardev_free(ev);
}

/* The SDL event type for backend replies. */
static Uint32 backend_event_type;

/* Runs on the network thread: hands the reply to the UI thread (which frees it). */
static void post_backend_reply(ks_backend_reply_t *reply, void *ud)
{
    (void)ud;
    if (push_payload(backend_event_type, reply, "backend reply") < 0)
        ks_backend_reply_free(reply);
}

/* What became of a print job, handed from the printer's thread to the UI thread. */
typedef struct {
    long long job;
    ks_print_result_t result;
    char why[160];
} print_result_t;

static Uint32 print_event_type;

/* Runs on the printer's thread. */
static void post_print_result(long long job, ks_print_result_t result, const char *why, void *ud)
{
    (void)ud;
    print_result_t *r = calloc(1, sizeof *r);
    if (!r)
        return;
    r->job = job;
    r->result = result;
    snprintf(r->why, sizeof r->why, "%s", why ? why : "");
    if (push_payload(print_event_type, r, "print result") < 0)
        free(r);
}

static long long submit_print(void *ctx, const unsigned char *bytes, size_t n)
{
    return ks_receipt_submit(ctx, bytes, n);
}

static void cancel_print(void *ctx, long long job)
{
    ks_receipt_cancel(ctx, job);
}

/* ---- staff diagnostics: gathered on a thread of its own (it blocks on pcscd, USB, the backend) */

static Uint32 diag_event_type;

static int diag_thread(void *arg)
{
    loop_t *l = arg;
    cJSON *report = ks_diag_collect(l->cfg, &l->diag_live);
    SDL_Event e;
    memset(&e, 0, sizeof e);
    e.type = diag_event_type;
    e.user.data1 = report;
    /* A full event queue empties fast: try a while before giving the report up. */
    int pushed = 0;
    for (int i = 0; i < 50 && !(pushed = SDL_PushEvent(&e) == 1); i++)
        SDL_Delay(100);
    if (!pushed) {
        ks_log(KS_LOG_ERROR, "main", "diagnostics report dropped: %s", SDL_GetError());
        cJSON_Delete(report);
    }
    return 0;
}

/* The kiosk's hook: the display as measured is added here, where the window is known. */
static int start_diag(void *ctx, const ks_diag_live_t *live)
{
    loop_t *l = ctx;
    if (l->diag_thread) {
        SDL_WaitThread(l->diag_thread, NULL); /* it has posted its report: it is ending */
        l->diag_thread = NULL;
    }
    l->diag_live = *live;
    const char *driver = SDL_GetCurrentVideoDriver();
    snprintf(l->diag_live.video_driver, sizeof l->diag_live.video_driver, "%s",
             driver ? driver : "");
    SDL_Renderer *r = SDL_GetRenderer(l->window);
    if (r)
        SDL_GetRendererOutputSize(r, &l->diag_live.window_w, &l->diag_live.window_h);
    const ks_metrics_t *m = ks_ui_metrics(l->ui);
    l->diag_live.canvas_w = m->w;
    l->diag_live.canvas_h = m->h;
    l->diag_live.dpi = m->px_per_mm * 25.4;
    l->diag_live.rotate = l->cfg->rotate;
    if (l->printer) {
        ks_receipt_status(l->printer, &l->diag_live.printer_status);
        l->diag_live.printer_seen = l->diag_live.printer_status.connected >= 0;
    }
    l->diag_thread = SDL_CreateThread(diag_thread, "diagnostics", l);
    return l->diag_thread ? 0 : -1;
}

static long long submit_to_backend(void *ctx, ks_api_request_t *req)
{
    return ks_backend_submit(ctx, req);
}

static void cancel_backend(void *ctx, long long id)
{
    if (id > 0)
        ks_backend_cancel(ctx, (uint64_t)id);
}

static void free_card_event(void *p)
{
    ks_cardev_free(p);
}

static void free_report(void *p)
{
    cJSON_Delete(p);
}

static void free_backend_reply(void *p)
{
    ks_backend_reply_free(p);
}

/* Frees payloads of `type` still queued (at exit), wiping what they hold. */
static void drain_events(Uint32 type, void (*free_fn)(void *))
{
    SDL_Event e;
    SDL_PumpEvents();
    while (SDL_PeepEvents(&e, 1, SDL_GETEVENT, type, type) == 1)
        free_fn(e.user.data1);
}

/* The kiosk's clock: monotonic milliseconds, plus what scripts advanced it by. */
static uint64_t now_ms(const loop_t *l)
{
    return SDL_GetTicks64() + l->clock_offset_ms;
}

/*
 * Maps a touch at normalised window coordinates (0..1) to the canvas, through
 * the same rectangle and rotation ks_ui_present draws with. Returns -1 for
 * coordinates that are not numbers (a confused driver), else 0.
 */
static int touch_to_canvas(const loop_t *l, double nx, double ny, int *lx, int *ly)
{
    int ow = 0, oh = 0;
    double x, y;
    if (!isfinite(nx) || !isfinite(ny))
        return -1;
    SDL_GetRendererOutputSize(SDL_GetRenderer(l->window), &ow, &oh);
    const ks_metrics_t *m = ks_ui_metrics(l->ui);
    ks_geom_to_canvas(l->cfg->rotate, ow, oh, m->w, m->h, nx * ow, ny * oh, &x, &y);
    /* Far outside the canvas is simply "no button"; keep the int conversion defined. */
    *lx = (int)fmax(-1.0, fmin(x, (double)m->w));
    *ly = (int)fmax(-1.0, fmin(y, (double)m->h));
    return 0;
}

static void handle_event(loop_t *l, const SDL_Event *ev)
{
    int ww = 0, wh = 0, lx, ly;
    if (ev->type == SDL_FINGERDOWN || ev->type == SDL_FINGERUP || ev->type == SDL_MOUSEBUTTONDOWN ||
        ev->type == SDL_MOUSEBUTTONUP || ev->type == SDL_FINGERMOTION)
        l->last_input_ms = SDL_GetTicks64();
    SDL_GetWindowSize(l->window, &ww, &wh);
    if (l->card_event && ev->type == l->card_event) {
        ks_cardev_t *cev = ev->user.data1;
        ks_log(KS_LOG_DEBUG, "main", "card event: %s", ks_cardev_kind_str(cev->kind));
        ks_kiosk_card_event(l->kiosk, cev, now_ms(l));
        ks_cardev_free(cev);
        return;
    }
    if (l->backend_event && ev->type == l->backend_event) {
        ks_backend_reply_t *reply = ev->user.data1;
        ks_kiosk_backend_reply(l->kiosk, reply, now_ms(l));
        ks_backend_reply_free(reply);
        return;
    }
    if (l->diag_event && ev->type == l->diag_event) {
        ks_kiosk_diag_report(l->kiosk, ev->user.data1, now_ms(l));
        return;
    }
    if (l->print_event && ev->type == l->print_event) {
        print_result_t *r = ev->user.data1;
        ks_kiosk_print_result(l->kiosk, r->job, r->result, r->why, now_ms(l));
        free(r);
        return;
    }
    switch (ev->type) {
    case SDL_QUIT:
        l->quit = 1;
        break;
    case SDL_FINGERDOWN:
    case SDL_FINGERUP:
        if (touch_to_canvas(l, ev->tfinger.x, ev->tfinger.y, &lx, &ly) != 0)
            break;
        if (ev->type == SDL_FINGERDOWN)
            ks_kiosk_pointer_down(l->kiosk, (long)ev->tfinger.fingerId, lx, ly, now_ms(l));
        else
            ks_kiosk_pointer_up(l->kiosk, (long)ev->tfinger.fingerId, lx, ly, now_ms(l));
        break;
    case SDL_MOUSEBUTTONDOWN:
    case SDL_MOUSEBUTTONUP:
        /* Touches also arrive as synthetic mouse events; handle them once. */
        if (ev->button.which == SDL_TOUCH_MOUSEID || ev->button.button != SDL_BUTTON_LEFT)
            break;
        if (ww <= 0 || wh <= 0 ||
            touch_to_canvas(l, (double)ev->button.x / ww, (double)ev->button.y / wh, &lx, &ly) != 0)
            break;
        if (ev->type == SDL_MOUSEBUTTONDOWN)
            ks_kiosk_pointer_down(l->kiosk, KS_MOUSE_FINGER, lx, ly, now_ms(l));
        else
            ks_kiosk_pointer_up(l->kiosk, KS_MOUSE_FINGER, lx, ly, now_ms(l));
        break;
    case SDL_SYSWMEVENT:
        if (ks_display_wm_event(l->window, ev))
            ks_log(KS_LOG_INFO, "main", "the screen's mode changed: following it");
        break;
    case SDL_WINDOWEVENT:
        if (ev->window.event == SDL_WINDOWEVENT_SIZE_CHANGED ||
            ev->window.event == SDL_WINDOWEVENT_DISPLAY_CHANGED) {
            /*
             * The window's own size: under Wayland the renderer's output size
             * still says the old one while this event is handled.
             */
            int ow = 0, oh = 0, lw, lh;
            SDL_GetWindowSizeInPixels(l->window, &ow, &oh);
            ks_geom_logical_size(l->cfg->rotate, ow, oh, &lw, &lh);
            ks_log(KS_LOG_INFO, "main", "window is now %dx%d", ow, oh);
            ks_ui_set_display_dpi(l->ui, ks_display_reported_dpi(l->window));
            ks_ui_resize(l->ui, lw, lh);
            ks_kiosk_invalidate(l->kiosk);
        } else if (ev->window.event == SDL_WINDOWEVENT_EXPOSED) {
            ks_ui_present(l->ui, l->cfg->rotate);
        }
        break;
    default:
        break;
    }
}

/* Pushes one finger event at a physical window point, as a touch screen would. */
static void push_finger(loop_t *l, Uint32 type, SDL_FingerID id, double px, double py)
{
    int ww = 0, wh = 0;
    SDL_GetWindowSize(l->window, &ww, &wh);
    SDL_Event ev;
    memset(&ev, 0, sizeof ev);
    ev.type = type;
    ev.tfinger.touchId = 1;
    ev.tfinger.fingerId = id;
    ev.tfinger.x = (float)(px / ww);
    ev.tfinger.y = (float)(py / wh);
    ev.tfinger.pressure = 1.0f;
    ev.tfinger.windowID = SDL_GetWindowID(l->window);
    SDL_PushEvent(&ev);
}

/*
 * The physical point of a command: the centre of a widget (through the
 * rotation) or the coordinates given. Returns 0, or -1 when the widget is not
 * on screen (the run then stops with status 3).
 */
static int command_point(loop_t *l, const ks_cmd_t *c, double *px, double *py)
{
    if (c->kind == KS_CMD_TAP_XY || c->kind == KS_CMD_PRESS_XY || c->kind == KS_CMD_RELEASE_XY) {
        *px = (double)c->a + 0.5;
        *py = (double)c->b + 0.5;
        return 0;
    }
    const ks_widget_t *w = NULL;
    if (c->kind == KS_CMD_TAP_FIRST) {
        /* The first live button whose id starts with the prefix ("day-": a bookable day). */
        size_t plen = strlen(c->arg);
        for (size_t i = 0; i < ks_ui_count(l->ui) && !w; i++) {
            const ks_widget_t *x = ks_ui_at(l->ui, i);
            if (x->kind == KS_W_BUTTON && x->action != 0 && strncmp(x->id, c->arg, plen) == 0)
                w = x;
        }
    } else {
        w = ks_ui_find(l->ui, c->arg);
    }
    if (!w) {
        fprintf(stderr, "civic-kiosk: script line %d: no widget '%s' on screen '%s'\n", c->line,
                c->arg, ks_kiosk_screen(l->kiosk));
        l->exit_code = KS_EXIT_EXPECT;
        l->quit = 1;
        return -1;
    }
    int ww = 0, wh = 0, ow = 0, oh = 0;
    SDL_GetWindowSize(l->window, &ww, &wh);
    SDL_GetRendererOutputSize(SDL_GetRenderer(l->window), &ow, &oh);
    const ks_metrics_t *m = ks_ui_metrics(l->ui);
    ks_geom_to_window(l->cfg->rotate, ow, oh, m->w, m->h, w->rect.x + w->rect.w / 2.0,
                      w->rect.y + w->rect.h / 2.0, px, py);
    /* Output pixels to window coordinates (they differ on high-DPI outputs). */
    *px = *px * ww / (ow > 0 ? ow : 1);
    *py = *py * wh / (oh > 0 ? oh : 1);
    return 0;
}

/*
 * cJSON builds dumps that hold the holder's name: its memory is overwritten
 * before it is freed.
 */
static void wiping_free(void *p)
{
    if (p)
        explicit_bzero(p, malloc_usable_size(p));
    free(p);
}

static int write_dump(loop_t *l, const char *path)
{
    cJSON *root = cJSON_CreateObject();
    int ww = 0, wh = 0;
    SDL_GetWindowSize(l->window, &ww, &wh);
    ks_kiosk_dump(l->kiosk, root);
    cJSON *win = cJSON_AddObjectToObject(root, "window");
    cJSON_AddNumberToObject(win, "w", ww);
    cJSON_AddNumberToObject(win, "h", wh);
    cJSON_AddNumberToObject(root, "rotate", l->cfg->rotate);
    /* The longest the event queue went unread since the previous dump. */
    cJSON_AddNumberToObject(root, "loop_max_gap_ms", (double)l->max_gap_ms);
    l->max_gap_ms = 0;
    char *text = cJSON_Print(root);
    cJSON_Delete(root);
    if (!text)
        return KS_E_NOMEM;
    size_t text_len = strlen(text);
    FILE *f = fopen(path, "w");
    int rc = KS_OK;
    if (f)
        setvbuf(f, NULL, _IONBF, 0); /* no stdio copy of the holder's name */
    if (!f || fputs(text, f) < 0)
        rc = KS_E_IO;
    if (f && fclose(f) != 0)
        rc = KS_E_IO;
    explicit_bzero(text, text_len);
    free(text);
    return rc;
}

static void render_if_needed(loop_t *l)
{
    if (ks_kiosk_render(l->kiosk, now_ms(l)))
        ks_ui_present(l->ui, l->cfg->rotate);
}

/* Whether what a wait-* command waits for has come. */
static int wait_done(loop_t *l, const ks_cmd_t *c)
{
    switch (c->kind) {
    case KS_CMD_WAIT_SCREEN:
        return strcmp(ks_kiosk_screen(l->kiosk), c->arg) == 0;
    case KS_CMD_WAIT_SESSIONS:
        return ks_kiosk_sessions_started(l->kiosk) >= (unsigned long)c->b;
    case KS_CMD_WAIT_WIDGET:
        render_if_needed(l); /* the widgets of the current state */
        return ks_ui_find(l->ui, c->arg) != NULL;
    case KS_CMD_WAIT_NO_WIDGET:
        render_if_needed(l);
        return ks_ui_find(l->ui, c->arg) == NULL;
    case KS_CMD_WAIT_FILE:
        return access(c->arg, F_OK) == 0;
    default:
        return 1;
    }
}

/*
 * Runs script commands until one has to wait. Returns 1 when the next command
 * may run at once on the next loop turn (after pushed events are handled).
 */
static int run_script(loop_t *l)
{
    char path[1200];
    while (l->script && l->script_pc < ks_script_count(l->script) && !l->quit) {
        const ks_cmd_t *c = ks_script_at(l->script, l->script_pc);
        if (l->script_wait_until) {
            if (SDL_GetTicks64() < l->script_wait_until)
                return 0;
            l->script_wait_until = 0;
            l->script_pc++;
            continue;
        }
        render_if_needed(l);
        switch (c->kind) {
        case KS_CMD_WAIT:
            l->script_wait_until = SDL_GetTicks64() + (uint64_t)c->a;
            if (c->a == 0)
                l->script_wait_until = 1;
            return 0;
        case KS_CMD_ADVANCE:
            l->clock_offset_ms += (uint64_t)c->a * 1000u;
            l->script_pc++;
            return 1; /* let the kiosk's timers fire before the next command */
        case KS_CMD_TAP_IF:
            if (!ks_ui_find(l->ui, c->arg)) {
                l->script_pc++; /* not on screen: nothing to tap */
                return 1;
            }
            /* fall through */
        case KS_CMD_TAP_ID:
        case KS_CMD_TAP_FIRST:
        case KS_CMD_TAP_XY:
        case KS_CMD_PRESS_ID:
        case KS_CMD_PRESS_XY: {
            double px, py;
            if (command_point(l, c, &px, &py) != 0)
                return 0;
            SDL_FingerID id = ++l->next_finger;
            push_finger(l, SDL_FINGERDOWN, id, px, py);
            if (c->kind == KS_CMD_TAP_ID || c->kind == KS_CMD_TAP_XY || c->kind == KS_CMD_TAP_IF ||
                c->kind == KS_CMD_TAP_FIRST) {
                push_finger(l, SDL_FINGERUP, id, px, py);
            } else if (l->nfingers < (int)(sizeof l->fingers / sizeof l->fingers[0])) {
                l->fingers[l->nfingers].id = id;
                l->fingers[l->nfingers].x = px;
                l->fingers[l->nfingers].y = py;
                l->nfingers++;
            }
            l->script_pc++;
            return 1;
        }
        case KS_CMD_RELEASE:
        case KS_CMD_RELEASE_XY: {
            if (l->nfingers == 0) {
                fprintf(stderr, "civic-kiosk: script line %d: no finger is down\n", c->line);
                l->exit_code = KS_EXIT_EXPECT;
                l->quit = 1;
                return 0;
            }
            l->nfingers--;
            double px = l->fingers[l->nfingers].x, py = l->fingers[l->nfingers].y;
            if (c->kind == KS_CMD_RELEASE_XY && command_point(l, c, &px, &py) != 0)
                return 0;
            push_finger(l, SDL_FINGERUP, l->fingers[l->nfingers].id, px, py);
            l->script_pc++;
            return 1;
        }
        case KS_CMD_SCREENSHOT:
        case KS_CMD_SCREENSHOT_WINDOW:
            snprintf(path, sizeof path, "%s/%s.png",
                     l->args->screenshot_dir ? l->args->screenshot_dir : ".", c->arg);
            if ((c->kind == KS_CMD_SCREENSHOT
                     ? ks_ui_save_png(l->ui, path)
                     : ks_ui_save_window_png(l->ui, l->cfg->rotate, path)) != KS_OK) {
                fprintf(stderr, "civic-kiosk: script line %d: cannot write %s\n", c->line, path);
                l->exit_code = 1;
                l->quit = 1;
                return 0;
            }
            break;
        case KS_CMD_DUMP:
            if (write_dump(l, c->arg) != KS_OK) {
                fprintf(stderr, "civic-kiosk: script line %d: cannot write %s\n", c->line, c->arg);
                l->exit_code = 1;
                l->quit = 1;
                return 0;
            }
            break;
        case KS_CMD_WAIT_SCREEN:
        case KS_CMD_WAIT_SESSIONS:
        case KS_CMD_WAIT_WIDGET:
        case KS_CMD_WAIT_NO_WIDGET:
        case KS_CMD_WAIT_FILE:
            if (wait_done(l, c)) {
                l->wait_screen_until = 0;
                break;
            }
            if (!l->wait_screen_until) {
                l->wait_screen_until = SDL_GetTicks64() + (uint64_t)c->a;
            } else if (SDL_GetTicks64() >= l->wait_screen_until) {
                fprintf(stderr,
                        "civic-kiosk: script line %d: what it waited for did not come within %ld "
                        "ms (screen '%s', %lu sessions)\n",
                        c->line, c->a, ks_kiosk_screen(l->kiosk),
                        ks_kiosk_sessions_started(l->kiosk));
                l->exit_code = KS_EXIT_EXPECT;
                l->quit = 1;
                return 0;
            }
            return 0; /* look again on the next loop turn */
        case KS_CMD_EXPECT_SCREEN:
            if (strcmp(ks_kiosk_screen(l->kiosk), c->arg) != 0) {
                fprintf(stderr, "civic-kiosk: script line %d: expected screen '%s', found '%s'\n",
                        c->line, c->arg, ks_kiosk_screen(l->kiosk));
                l->exit_code = KS_EXIT_EXPECT;
                l->quit = 1;
                return 0;
            }
            break;
        case KS_CMD_RESIZE:
            SDL_SetWindowSize(l->window, (int)c->a, (int)c->b);
            l->script_pc++;
            return 1; /* the size-changed event comes through the queue */
        case KS_CMD_PRINT:
            printf("%s\n", c->arg);
            fflush(stdout);
            break;
        case KS_CMD_QUIT:
            l->quit = 1;
            break;
        }
        l->script_pc++;
    }
    return 0;
}

/* Waits up to timeout_ms (-1: forever) for an event. */
/*
 * SDL_PollEvent, noting the longest time between two looks at the event queue:
 * how long a touch could have waited for the UI thread (it never waits on the
 * network or a card, and the dump's loop_max_gap_ms shows it).
 */
static int poll_event(loop_t *l, SDL_Event *ev)
{
    uint64_t t = SDL_GetTicks64();
    if (l->last_iter_ms && t - l->last_iter_ms > l->max_gap_ms)
        l->max_gap_ms = t - l->last_iter_ms;
    l->last_iter_ms = t;
    return SDL_PollEvent(ev);
}

static int wait_event(loop_t *l, SDL_Event *ev, int64_t timeout_ms)
{
    if (timeout_ms == 0)
        return poll_event(l, ev);
    if (l->can_block)
        return SDL_WaitEventTimeout(ev, timeout_ms < 0 || timeout_ms > INT32_MAX ? -1
                                                                                 : (int)timeout_ms);
    /*
     * SDL's own fallback wakes every millisecond; poll at a human pace instead.
     * Touch-to-response latency stays well under one frame at 60 Hz.
     */
    uint64_t start = SDL_GetTicks64();
    for (;;) {
        if (poll_event(l, ev))
            return 1;
        uint64_t waited = SDL_GetTicks64() - start;
        if (timeout_ms >= 0 && waited >= (uint64_t)timeout_ms)
            return 0;
        int active = SDL_GetTicks64() - l->last_input_ms < KS_ACTIVE_WINDOW_MS;
        uint64_t step = active ? KS_POLL_ACTIVE_MS : KS_POLL_IDLE_MS;
        if (timeout_ms >= 0 && (uint64_t)timeout_ms - waited < step)
            step = (uint64_t)timeout_ms - waited;
        SDL_Delay((Uint32)step);
    }
}

/*
 * The systemd watchdog is pinged from this loop and nowhere else: if the UI
 * freezes, the pings stop and systemd restarts the kiosk (WatchdogSec=).
 */
static uint64_t watchdog_usec(void)
{
    uint64_t usec = 0;
    if (sd_watchdog_enabled(0, &usec) > 0)
        return usec;
    /*
     * Started by a compositor the unit runs (cage -- civic-kiosk), the
     * watchdog names the compositor, our parent. The pings still reach
     * systemd from here (NotifyAccess=all), and the kiosk is the one that
     * can freeze.
     */
    const char *pid = getenv("WATCHDOG_PID"), *us = getenv("WATCHDOG_USEC");
    char *end = NULL;
    if (!pid || !us)
        return 0;
    errno = 0;
    long long p = strtoll(pid, &end, 10);
    if (errno || *end || p != (long long)getppid())
        return 0;
    unsigned long long u = strtoull(us, &end, 10);
    return errno || *end ? 0 : (uint64_t)u;
}

static void watchdog_setup(loop_t *l)
{
    uint64_t usec = watchdog_usec();
    if (usec >= 2000) {
        l->watchdog_ms = usec / 2000; /* twice per period */
        l->watchdog_due = SDL_GetTicks64();
    }
}

static void watchdog_ping(loop_t *l)
{
    uint64_t now = SDL_GetTicks64();
    if (l->watchdog_ms && now >= l->watchdog_due) {
        sd_notify(0, "WATCHDOG=1");
        l->watchdog_due = now + l->watchdog_ms;
    }
}

static void run_loop(loop_t *l)
{
    SDL_Event ev;
    render_if_needed(l);
    ks_ui_present(l->ui, l->cfg->rotate);
    sd_notify(0, "READY=1");
    watchdog_setup(l);
    while (!l->quit) {
        watchdog_ping(l);
        int runnable = run_script(l);
        if (l->script && l->script_pc >= ks_script_count(l->script))
            l->quit = 1; /* a script that ends without `quit` ends the run */
        if (l->quit)
            break;
        int64_t timeout = ks_kiosk_next_deadline_ms(l->kiosk, now_ms(l));
        if (l->watchdog_ms) {
            uint64_t t = SDL_GetTicks64();
            int64_t w = l->watchdog_due > t ? (int64_t)(l->watchdog_due - t) : 0;
            if (timeout < 0 || w < timeout)
                timeout = w;
        }
        if (l->wait_screen_until && (timeout < 0 || timeout > 50))
            timeout = 50; /* re-check a wait-screen at a modest pace */
        if (runnable)
            timeout = 0;
        else if (l->script_wait_until) {
            uint64_t t = SDL_GetTicks64();
            int64_t w = l->script_wait_until > t ? (int64_t)(l->script_wait_until - t) : 0;
            if (timeout < 0 || w < timeout)
                timeout = w;
        }
        if (wait_event(l, &ev, timeout)) {
            handle_event(l, &ev);
            while (poll_event(l, &ev))
                handle_event(l, &ev);
        }
        ks_kiosk_tick(l->kiosk, now_ms(l));
        render_if_needed(l);
    }
}

static int driver_can_block(void)
{
    const char *d = SDL_GetCurrentVideoDriver();
    return d && (strcmp(d, "x11") == 0 || strcmp(d, "wayland") == 0);
}

int main(int argc, char **argv)
{
    ks_args_t args;
    ks_config_t cfg;
    char err[512];
#ifndef KS_UNDER_ASAN
    /*
     * No core dumps: a crash or a watchdog abort must not write the citizen on
     * the screen (and the session) to disk. (LeakSanitizer needs to trace the
     * process, so sanitizer builds keep the default.)
     */
    prctl(PR_SET_DUMPABLE, 0, 0, 0, 0);
#endif
    int rc = parse_args(argc, argv, &args);
    if (rc >= 0)
        return rc;
    /* Once, before any thread exists (libcurl's rule). */
    if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK) {
        fprintf(stderr, "civic-kiosk: cannot initialise libcurl\n");
        return 1;
    }

    ks_config_defaults(&cfg);
    const char *cfg_path = args.config_path;
    if (!cfg_path && access(KS_DEFAULT_CONFIG, F_OK) == 0)
        cfg_path = KS_DEFAULT_CONFIG;
    if (cfg_path && ks_config_load(&cfg, cfg_path, err, sizeof err) != KS_OK) {
        fprintf(stderr, "civic-kiosk: %s\n", err);
        return KS_EXIT_USAGE;
    }
    ks_log_init(cfg.log_target, cfg.log_level);
    if (ks_config_use_credentials(&cfg, getenv("CREDENTIALS_DIRECTORY")) > 0)
        ks_log(KS_LOG_INFO, "main", "backend identity from the service's credentials");
    if (args.diagnose) {
        rc = diagnose(&cfg);
        curl_global_cleanup();
        return rc;
    }
    const char *assets = cfg.assets_dir[0] ? cfg.assets_dir : KS_DEFAULT_ASSETS_DIR;

    loop_t l;
    memset(&l, 0, sizeof l);
    l.cfg = &cfg;
    l.args = &args;
    if (args.script_path) {
        l.script = ks_script_load(args.script_path, err, sizeof err);
        if (!l.script) {
            fprintf(stderr, "civic-kiosk: %s\n", err);
            return KS_EXIT_USAGE;
        }
    }
    if (args.screenshot_dir) {
        struct stat st;
        if (stat(args.screenshot_dir, &st) != 0 || !S_ISDIR(st.st_mode)) {
            fprintf(stderr, "civic-kiosk: --screenshot-dir %s: not a directory\n",
                    args.screenshot_dir);
            ks_script_free(l.script);
            return KS_EXIT_USAGE;
        }
    }

    int exit_code = 1;
    SDL_Renderer *renderer = NULL;
    /* Kiosks have no compositor to hand us a cursor or a screensaver. */
    SDL_SetHint(SDL_HINT_VIDEO_ALLOW_SCREENSAVER, "0");
    SDL_SetHint(SDL_HINT_TOUCH_MOUSE_EVENTS, "1");
    if (SDL_Init(SDL_INIT_EVENTS) != 0) {
        fprintf(stderr, "civic-kiosk: cannot start SDL: %s\n", SDL_GetError());
        ks_script_free(l.script);
        return 1;
    }
    /* Never blind: a headless driver only for the harness or when named. */
    if (ks_display_init(args.script_path != NULL, err, sizeof err) != 0) {
        fprintf(stderr, "civic-kiosk: %s\n", err);
        ks_diag_record_display(&cfg, 0, err);
        goto out;
    }
    if (TTF_Init() != 0 || (IMG_Init(IMG_INIT_PNG) & IMG_INIT_PNG) == 0) {
        fprintf(stderr, "civic-kiosk: cannot start text or image support: %s\n", SDL_GetError());
        goto out;
    }
    const char *driver = SDL_GetCurrentVideoDriver();
    if (ks_display_driver_is_headless(driver)) {
        /*
         * Headless (tests, demo without a display): there is no GPU to use, and
         * loading Mesa's software GL only costs memory and start-up time.
         */
        SDL_SetHint(SDL_HINT_RENDER_DRIVER, "software");
        SDL_SetHint(SDL_HINT_FRAMEBUFFER_ACCELERATION, "0");
    }
    l.window = ks_display_open_window(!args.windowed, cfg.width, cfg.height, err, sizeof err);
    if (!l.window) {
        fprintf(stderr, "civic-kiosk: %s\n", err);
        ks_diag_record_display(&cfg, 0, err);
        goto out;
    }
    SDL_ShowCursor(SDL_DISABLE);
    if (!args.windowed)
        ks_display_watch_modes();
    renderer = SDL_CreateRenderer(l.window, -1, SDL_RENDERER_TARGETTEXTURE);
    if (!renderer) {
        fprintf(stderr, "civic-kiosk: cannot create a renderer: %s\n", SDL_GetError());
        goto out;
    }
    int ww = 0, wh = 0, lw, lh;
    SDL_GetRendererOutputSize(renderer, &ww, &wh);
    ks_geom_logical_size(cfg.rotate, ww, wh, &lw, &lh);
    l.ui = ks_ui_new(renderer, lw, lh, &cfg, assets, err, sizeof err);
    if (!l.ui) {
        fprintf(stderr, "civic-kiosk: %s\n", err);
        exit_code = KS_EXIT_USAGE;
        goto out;
    }
    ks_ui_set_display_dpi(l.ui, ks_display_reported_dpi(l.window));
    l.kiosk = ks_kiosk_new(&cfg, l.ui, assets, now_ms(&l), err, sizeof err);
    if (!l.kiosk) {
        fprintf(stderr, "civic-kiosk: %s\n", err);
        exit_code = KS_EXIT_USAGE;
        goto out;
    }
    l.can_block = driver_can_block();
    cJSON_Hooks hooks = {malloc, wiping_free};
    cJSON_InitHooks(&hooks);
    if (cfg.card_enabled) {
        card_event_type = SDL_RegisterEvents(1);
        if (card_event_type == (Uint32)-1) {
            fprintf(stderr, "civic-kiosk: cannot register card events: %s\n", SDL_GetError());
            goto out;
        }
        l.card_event = card_event_type;
        l.monitor = ks_pcsc_monitor_start(cfg.card_reader, post_card_event, NULL);
        if (!l.monitor) {
            fprintf(stderr, "civic-kiosk: cannot start the card reader monitor\n");
            goto out;
        }
    }
    if (cfg.backend.enabled) {
        /* Without a backend the kiosk still runs; what needs it says it is unavailable. */
        ks_backend_config_t bcfg;
        backend_event_type = SDL_RegisterEvents(1);
        if (backend_event_type == (Uint32)-1) {
            fprintf(stderr, "civic-kiosk: cannot register backend events: %s\n", SDL_GetError());
            goto out;
        }
        l.backend_event = backend_event_type;
        if (ks_backend_config_from(&bcfg, &cfg, err, sizeof err) == 0)
            l.backend = ks_backend_new(&bcfg, post_backend_reply, NULL, err, sizeof err);
        if (l.backend)
            ks_kiosk_set_backend(l.kiosk, submit_to_backend, cancel_backend, l.backend);
        else
            ks_log(KS_LOG_ERROR, "main", "district backend not started: %s", err);
    }
    if (cfg.printer.enabled) {
        /* Without a printer the kiosk still runs; the screens then say nothing about printing. */
        print_event_type = SDL_RegisterEvents(1);
        if (print_event_type == (Uint32)-1) {
            fprintf(stderr, "civic-kiosk: cannot register print events: %s\n", SDL_GetError());
            goto out;
        }
        l.print_event = print_event_type;
        l.printer = ks_receipt_start(&cfg, post_print_result, NULL, err, sizeof err);
        if (l.printer) {
            ks_kiosk_set_printer(l.kiosk, submit_print, cancel_print, l.printer);
            ks_log(KS_LOG_INFO, "main", "receipt printer: %s", ks_receipt_describe(l.printer));
        } else {
            ks_log(KS_LOG_ERROR, "main", "receipt printer not started: %s", err);
        }
    }
    diag_event_type = SDL_RegisterEvents(1);
    if (diag_event_type != (Uint32)-1) {
        l.diag_event = diag_event_type;
        ks_kiosk_set_diag(l.kiosk, start_diag, &l);
    }
    ks_log(KS_LOG_INFO, "main", "started: %s driver, window %dx%d, canvas %dx%d, rotate %d",
           SDL_GetCurrentVideoDriver(), ww, wh, lw, lh, cfg.rotate);
    snprintf(err, sizeof err, "%s driver, window %dx%d", SDL_GetCurrentVideoDriver(), ww, wh);
    ks_diag_record_display(&cfg, 1, err);
    run_loop(&l);
    sd_notify(0, "STOPPING=1");
    exit_code = l.exit_code;
out:
    if (l.diag_thread)
        SDL_WaitThread(l.diag_thread, NULL);
    if (l.diag_event)
        drain_events(l.diag_event, free_report);
    ks_pcsc_monitor_stop(l.monitor);
    if (l.card_event)
        drain_events(l.card_event, free_card_event);
    ks_backend_free(l.backend);
    if (l.backend_event)
        drain_events(l.backend_event, free_backend_reply);
    if (l.kiosk)
        ks_kiosk_set_printer(l.kiosk, NULL, NULL, NULL); /* the queue goes first */
    ks_receipt_stop(l.printer);
    if (l.print_event)
        drain_events(l.print_event, free);
    ks_kiosk_free(l.kiosk);
    ks_ui_free(l.ui);
    if (renderer)
        SDL_DestroyRenderer(renderer);
    if (l.window)
        SDL_DestroyWindow(l.window);
    ks_script_free(l.script);
    IMG_Quit();
    TTF_Quit();
    SDL_Quit();
    curl_global_cleanup();
    return exit_code;
}
