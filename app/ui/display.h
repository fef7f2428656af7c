/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The kiosk's display: which SDL video driver, the window, and the output's
 * real size and physical density.
 *
 * Fullscreen takes the output as it is (its size, and its millimetres when it
 * reports them); `[display] width/height` size the window only in windowed
 * mode. The headless drivers (offscreen, dummy) are used only when asked for,
 * so a kiosk without a display stops with a reason instead of running blind.
 */
#ifndef KS_DISPLAY_H
#define KS_DISPLAY_H

#include <SDL.h>
#include <stddef.h>

/* 1 for SDL's drivers that show nothing on any screen (offscreen, dummy, evdev). */
int ks_display_driver_is_headless(const char *name);

/*
 * Initialises SDL's video. When SDL_VIDEODRIVER is set, SDL uses that driver
 * and nothing else. Otherwise each real driver is tried in SDL's order, and a
 * headless one only when allow_headless (the test harness). Returns 0, or -1
 * with a one-line reason in err naming what each driver said.
 */
int ks_display_init(int allow_headless, char *err, size_t errlen);

/*
 * The window: fullscreen at the size of the display it is on (the desktop
 * mode), placed at the display's origin, or windowed at w x h. NULL with the
 * reason in err.
 */
SDL_Window *ks_display_open_window(int fullscreen, int w, int h, char *err, size_t errlen);

/*
 * The physical size the window's display reports as pixels per inch (the
 * diagonal density), or 0 when it reports none or nonsense (Xvfb, offscreen,
 * projectors): callers then fall back to KS_GEOM_DEFAULT_DPI.
 */
double ks_display_reported_dpi(SDL_Window *window);

/*
 * A compositor or window manager resizes a fullscreen window when its output
 * changes (SDL_WINDOWEVENT_SIZE_CHANGED; SDL 2.26's own idea of the desktop
 * mode is not updated, so nothing here trusts it after start). X without a
 * window manager has nobody to do it: ks_display_watch_modes
 * asks SDL for the window system's own events, and ks_display_wm_event, given
 * each SDL_SYSWMEVENT, moves a fullscreen window onto the screen's new size.
 * The usual SDL_WINDOWEVENT_SIZE_CHANGED follows. Returns 1 when it resized.
 */
void ks_display_watch_modes(void);
int ks_display_wm_event(SDL_Window *window, const SDL_Event *ev);

#endif
