/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "display.h"

#include <SDL_syswm.h>

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int ks_display_driver_is_headless(const char *name)
{
    return name && (strcmp(name, "offscreen") == 0 || strcmp(name, "dummy") == 0 ||
                    strcmp(name, "evdev") == 0);
}

/*
 * Why a driver could not start, in the technician's terms: SDL only says
 * "x11 not available", which does not say what to fix.
 */
static void driver_reason(const char *name, char *why, size_t n)
{
    const char *v;
    if (strcmp(name, "x11") == 0) {
        v = getenv("DISPLAY");
        if (v && *v)
            snprintf(why, n, "cannot open DISPLAY=%s", v);
        else
            snprintf(why, n, "DISPLAY is not set");
    } else if (strcmp(name, "wayland") == 0) {
        v = getenv("WAYLAND_DISPLAY");
        if (v && *v)
            snprintf(why, n, "cannot connect to WAYLAND_DISPLAY=%s", v);
        else
            snprintf(why, n, "WAYLAND_DISPLAY is not set");
    } else if (strcmp(name, "KMSDRM") == 0) {
        const char *dev = "/dev/dri/card0";
        if (access(dev, R_OK | W_OK) != 0)
            snprintf(why, n, "%s: %s", dev, strerror(errno));
        else
            snprintf(why, n, "no connected output, or the display is held by another program");
    } else {
        snprintf(why, n, "%s", SDL_GetError());
    }
}

/* Appends "name: why" to the reason, separated by "; ". */
static void add_reason(char *err, size_t errlen, const char *name)
{
    char why[160];
    size_t used = strlen(err);
    if (used + 1 >= errlen)
        return;
    driver_reason(name, why, sizeof why);
    snprintf(err + used, errlen - used, "%s%s: %s", used ? "; " : "", name, why);
}

int ks_display_init(int allow_headless, char *err, size_t errlen)
{
    const char *asked = getenv("SDL_VIDEODRIVER");
    if (asked && *asked) {
        /* Asked for by name (tests, or the unit's Environment=): that one only. */
        if (SDL_InitSubSystem(SDL_INIT_VIDEO) == 0)
            return 0;
        snprintf(err, errlen, "no display: SDL_VIDEODRIVER=%s: %s", asked, SDL_GetError());
        return -1;
    }
    char tried[400] = "";
    int n = SDL_GetNumVideoDrivers();
    for (int i = 0; i < n; i++) {
        const char *name = SDL_GetVideoDriver(i);
        if (!name || (ks_display_driver_is_headless(name) && !allow_headless))
            continue;
        SDL_SetHint(SDL_HINT_VIDEODRIVER, name);
        if (SDL_InitSubSystem(SDL_INIT_VIDEO) == 0)
            return 0;
        add_reason(tried, sizeof tried, name);
    }
    snprintf(err, errlen, "no display (%s); a headless run needs SDL_VIDEODRIVER=offscreen",
             tried[0] ? tried : "SDL has no video driver");
    return -1;
}

SDL_Window *ks_display_open_window(int fullscreen, int w, int h, char *err, size_t errlen)
{
    Uint32 flags = SDL_WINDOW_SHOWN;
    int x = SDL_WINDOWPOS_CENTERED, y = SDL_WINDOWPOS_CENTERED;
    if (fullscreen) {
        /*
         * Created at the output's own size and origin, so the window covers it
         * even where nobody honours a fullscreen request (X without a window
         * manager) and the first frame is already the right size.
         */
        SDL_DisplayMode mode;
        SDL_Rect bounds;
        if (SDL_GetDesktopDisplayMode(0, &mode) == 0 && SDL_GetDisplayBounds(0, &bounds) == 0 &&
            mode.w > 0 && mode.h > 0) {
            w = mode.w;
            h = mode.h;
            x = bounds.x;
            y = bounds.y;
        }
        flags |= SDL_WINDOW_FULLSCREEN_DESKTOP | SDL_WINDOW_BORDERLESS;
    }
    SDL_Window *win = SDL_CreateWindow("civic-kiosk", x, y, w, h, flags);
    if (!win)
        snprintf(err, errlen, "cannot open a window: %s", SDL_GetError());
    return win;
}

double ks_display_reported_dpi(SDL_Window *window)
{
    int idx = SDL_GetWindowDisplayIndex(window);
    float ddpi = 0, hdpi = 0, vdpi = 0;
    if (idx < 0 || SDL_GetDisplayDPI(idx, &ddpi, &hdpi, &vdpi) != 0)
        return 0;
    /* Real panels lie between a projector (~20) and a phone (~600). */
    if (!isfinite(ddpi) || ddpi < 40 || ddpi > 600)
        return 0;
    return ddpi;
}

/*
 * X without a window manager: nobody resizes a fullscreen window when the
 * screen's mode changes, and SDL 2.26 keeps the old desktop mode. The root
 * window's size is the truth; the window is moved onto it, and SDL's own
 * ConfigureNotify handling then reports the new size as usual.
 */
static int follow_x11_root(SDL_Window *window)
{
#if defined(SDL_VIDEO_DRIVER_X11)
    SDL_SysWMinfo info;
    SDL_VERSION(&info.version);
    if (!SDL_GetWindowWMInfo(window, &info) || info.subsystem != SDL_SYSWM_X11)
        return 0;
    Display *dpy = info.info.x11.display;
    XWindowAttributes wa, ra;
    if (!XGetWindowAttributes(dpy, info.info.x11.window, &wa) ||
        !XGetWindowAttributes(dpy, wa.root, &ra))
        return 0;
    if (wa.x == 0 && wa.y == 0 && wa.width == ra.width && wa.height == ra.height)
        return 0;
    XMoveResizeWindow(dpy, info.info.x11.window, 0, 0, (unsigned)ra.width, (unsigned)ra.height);
    XFlush(dpy);
    return 1;
#else
    (void)window;
    return 0;
#endif
}

void ks_display_watch_modes(void)
{
    SDL_EventState(SDL_SYSWMEVENT, SDL_ENABLE);
}

int ks_display_wm_event(SDL_Window *window, const SDL_Event *ev)
{
#if defined(SDL_VIDEO_DRIVER_X11)
    const SDL_SysWMmsg *msg = ev->syswm.msg;
    if (!msg || msg->subsystem != SDL_SYSWM_X11 || msg->msg.x11.event.type < LASTEvent)
        return 0;
    /* An extension's event (RandR's among them; rare): has the screen changed? */
    if (!(SDL_GetWindowFlags(window) & SDL_WINDOW_FULLSCREEN_DESKTOP))
        return 0;
    return follow_x11_root(window);
#else
    (void)window;
    (void)ev;
    return 0;
#endif
}
