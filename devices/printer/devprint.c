/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "devprint.h"

#include "error.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

struct ks_devprint {
    char path[512];
    int timeout_ms;
    int fd;
};

ks_devprint_t *ks_devprint_new(const char *path, int timeout_ms)
{
    if (!path || !path[0] || strlen(path) >= sizeof((ks_devprint_t *)0)->path)
        return NULL;
    ks_devprint_t *d = calloc(1, sizeof *d);
    if (!d)
        return NULL;
    snprintf(d->path, sizeof d->path, "%s", path);
    d->timeout_ms = timeout_ms > 0 ? timeout_ms : 5000;
    d->fd = -1;
    return d;
}

static void d_close(void *ctx)
{
    ks_devprint_t *d = ctx;
    if (d->fd >= 0)
        close(d->fd);
    d->fd = -1;
}

void ks_devprint_free(ks_devprint_t *d)
{
    if (!d)
        return;
    d_close(d);
    free(d);
}

static int d_open(void *ctx, char *why, size_t whylen)
{
    ks_devprint_t *d = ctx;
    d_close(d);
    /* Never O_CREAT: a node that is not there is a printer that is not plugged in. */
    d->fd = open(d->path, O_WRONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
    if (d->fd < 0) {
        int e = errno;
        snprintf(why, whylen, "%s: %s", d->path,
                 e == ENOENT || e == ENODEV || e == ENXIO ? "printer not connected" : strerror(e));
        return e == ENOENT || e == ENODEV || e == ENXIO ? KS_E_NOTFOUND : KS_E_IO;
    }
    return KS_OK;
}

static int d_write(void *ctx, const unsigned char *bytes, size_t n, char *why, size_t whylen)
{
    ks_devprint_t *d = ctx;
    size_t done = 0;
    while (done < n) {
        ssize_t w = write(d->fd, bytes + done, n - done);
        if (w > 0) {
            done += (size_t)w;
            continue;
        }
        if (w < 0 && errno == EINTR)
            continue;
        if (w < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
            /* The printer is busy (paper feeding, buffer full): wait, but not for ever. */
            struct pollfd p = {.fd = d->fd, .events = POLLOUT};
            int r = poll(&p, 1, d->timeout_ms);
            if (r > 0 && !(p.revents & (POLLERR | POLLHUP)))
                continue;
            snprintf(why, whylen, "%s: %s", d->path,
                     r == 0 ? "printer stalled (no paper? cover open?)" : "printer went away");
            return KS_E_IO;
        }
        snprintf(why, whylen, "%s: %s", d->path,
                 w < 0 && errno == ENODEV ? "printer unplugged"
                 : w < 0                  ? strerror(errno)
                                          : "nothing written");
        return KS_E_IO;
    }
    return KS_OK;
}

ks_printer_io_t ks_devprint_io(ks_devprint_t *d)
{
    /* A device node cannot be asked, and udev makes and removes it: no status, no hot-plug news. */
    ks_printer_io_t io = {d_open, d_write, d_close, d, NULL, NULL, NULL};
    return io;
}
