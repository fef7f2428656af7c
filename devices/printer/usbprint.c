/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "usbprint.h"

#include "error.h"

#include <libusb.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct ks_usbprint {
    ks_usb_ids_t printers;
    int timeout_ms;
    libusb_context *ctx; /* for the transport's life: hot-plug news arrive on it */
    libusb_hotplug_callback_handle hotplug;
    int has_hotplug;
    int changed; /* set by the hot-plug callback (on the queue's thread, inside libusb) */
    libusb_device_handle *h;
    unsigned char ep_out;
    unsigned char ep_in; /* 0: the printer cannot answer (no status) */
    int iface;
};

/* A USB device came or went: the queue looks for its printer again. */
static int on_hotplug(libusb_context *ctx, libusb_device *dev, libusb_hotplug_event event,
                      void *user)
{
    (void)ctx;
    (void)dev;
    (void)event;
    ((ks_usbprint_t *)user)->changed = 1;
    return 0; /* stay registered */
}

/*
 * The context, made once. Hot-plug news are registered only when it is made
 * in ks_usbprint_new, before the queue's thread exists: u_wake (any thread)
 * then reads fields nobody writes any more.
 */
static int ensure_ctx(ks_usbprint_t *u, int with_hotplug)
{
    if (u->ctx)
        return 0;
    if (libusb_init(&u->ctx) != 0) {
        u->ctx = NULL;
        return -1;
    }
    if (with_hotplug && libusb_has_capability(LIBUSB_CAP_HAS_HOTPLUG) &&
        libusb_hotplug_register_callback(
            u->ctx, LIBUSB_HOTPLUG_EVENT_DEVICE_ARRIVED | LIBUSB_HOTPLUG_EVENT_DEVICE_LEFT, 0,
            LIBUSB_HOTPLUG_MATCH_ANY, LIBUSB_HOTPLUG_MATCH_ANY, LIBUSB_HOTPLUG_MATCH_ANY,
            on_hotplug, u, &u->hotplug) == LIBUSB_SUCCESS)
        u->has_hotplug = 1;
    return 0;
}

ks_usbprint_t *ks_usbprint_new(const ks_usb_ids_t *printers, int timeout_ms)
{
    ks_usbprint_t *u = calloc(1, sizeof *u);
    if (!u)
        return NULL;
    if (printers)
        u->printers = *printers;
    u->timeout_ms = timeout_ms > 0 ? timeout_ms : 5000;
    ensure_ctx(u, 1); /* failing here is retried at each open (then without hot-plug news) */
    return u;
}

static void u_close(void *ctx)
{
    ks_usbprint_t *u = ctx;
    if (u->h) {
        libusb_release_interface(u->h, u->iface);
        libusb_close(u->h);
        u->h = NULL;
    }
}

void ks_usbprint_free(ks_usbprint_t *u)
{
    if (!u)
        return;
    u_close(u);
    if (u->ctx) {
        if (u->has_hotplug)
            libusb_hotplug_deregister_callback(u->ctx, u->hotplug);
        libusb_exit(u->ctx);
    }
    free(u);
}

int ks_usbprint_hotplug(const ks_usbprint_t *u)
{
    return u && u->has_hotplug;
}

/* Hot-plug: handles libusb's events (running on_hotplug) until a change, the time, or wake. */
static int u_wait(void *ctx, int ms)
{
    ks_usbprint_t *u = ctx;
    if (!u->has_hotplug)
        return -1;
    u->changed = 0;
    struct timeval tv = {ms / 1000, (ms % 1000) * 1000};
    /* Returns early when an event was handled or libusb_interrupt_event_handler was called. */
    libusb_handle_events_timeout_completed(u->ctx, &tv, &u->changed);
    return u->changed ? 1 : 0;
}

static void u_wake(void *ctx)
{
    ks_usbprint_t *u = ctx;
    if (u->has_hotplug)
        libusb_interrupt_event_handler(u->ctx);
}

/* The first bulk endpoint of interface 0 in the direction `in`, or 0. */
static unsigned char bulk_ep(libusb_device *d, int in)
{
    struct libusb_config_descriptor *cfg = NULL;
    if (libusb_get_active_config_descriptor(d, &cfg) != 0 &&
        libusb_get_config_descriptor(d, 0, &cfg) != 0)
        return 0;
    unsigned char ep = 0;
    if (cfg->bNumInterfaces > 0 && cfg->interface[0].num_altsetting > 0) {
        const struct libusb_interface_descriptor *i = &cfg->interface[0].altsetting[0];
        for (int e = 0; e < i->bNumEndpoints && !ep; e++) {
            const struct libusb_endpoint_descriptor *x = &i->endpoint[e];
            if ((x->bmAttributes & 3) == LIBUSB_TRANSFER_TYPE_BULK &&
                !(x->bEndpointAddress & LIBUSB_ENDPOINT_IN) == !in)
                ep = x->bEndpointAddress;
        }
    }
    libusb_free_config_descriptor(cfg);
    return ep;
}

static int u_open(void *ctx, char *why, size_t whylen)
{
    ks_usbprint_t *u = ctx;
    u_close(u);
    if (ensure_ctx(u, 0) != 0) {
        snprintf(why, whylen, "libusb cannot start");
        return KS_E_IO;
    }
    libusb_device **list = NULL;
    ssize_t n = libusb_get_device_list(u->ctx, &list);
    int rc = KS_E_NOTFOUND;
    snprintf(why, whylen, "no USB printer found");
    for (ssize_t i = 0; n > 0 && i < n && rc != KS_OK; i++) {
        struct libusb_device_descriptor d;
        if (libusb_get_device_descriptor(list[i], &d) != 0)
            continue;
        struct libusb_config_descriptor *cfg = NULL;
        uint8_t iface_class = 0;
        if (libusb_get_config_descriptor(list[i], 0, &cfg) == 0) {
            if (cfg->bNumInterfaces > 0 && cfg->interface[0].num_altsetting > 0)
                iface_class = cfg->interface[0].altsetting[0].bInterfaceClass;
            libusb_free_config_descriptor(cfg);
        }
        if (ks_usb_role(d.idVendor, d.idProduct, d.bDeviceClass, iface_class, &u->printers) !=
            KS_USB_ROLE_PRINTER)
            continue;
        unsigned char ep = bulk_ep(list[i], 0);
        if (!ep) {
            snprintf(why, whylen, "printer %04x:%04x has no bulk OUT endpoint", d.idVendor,
                     d.idProduct);
            continue;
        }
        int e = libusb_open(list[i], &u->h);
        if (e != 0) {
            snprintf(why, whylen, "printer %04x:%04x: cannot open: %s", d.idVendor, d.idProduct,
                     libusb_error_name(e));
            u->h = NULL;
            rc = KS_E_IO;
            continue;
        }
        if (libusb_kernel_driver_active(u->h, 0) == 1) /* usblp holds it: take it over */
            libusb_detach_kernel_driver(u->h, 0);
        e = libusb_claim_interface(u->h, 0);
        if (e != 0) {
            snprintf(why, whylen, "printer %04x:%04x: interface busy: %s", d.idVendor, d.idProduct,
                     libusb_error_name(e));
            libusb_close(u->h);
            u->h = NULL;
            rc = KS_E_IO;
            continue;
        }
        u->iface = 0;
        u->ep_out = ep;
        u->ep_in = bulk_ep(list[i], 1);
        rc = KS_OK;
    }
    if (list)
        libusb_free_device_list(list, 1);
    if (rc != KS_OK)
        u_close(u);
    else
        why[0] = '\0';
    return rc;
}

static int u_write(void *ctx, const unsigned char *bytes, size_t n, char *why, size_t whylen)
{
    ks_usbprint_t *u = ctx;
    size_t done = 0;
    while (done < n) {
        int chunk = n - done > 4096 ? 4096 : (int)(n - done), sent = 0;
        int e = libusb_bulk_transfer(u->h, u->ep_out, (unsigned char *)(uintptr_t)(bytes + done),
                                     chunk, &sent, (unsigned)u->timeout_ms);
        if (sent <= 0) { /* nothing taken (even without an error): do not spin */
            snprintf(why, whylen, "bulk OUT 0x%02x: %s", u->ep_out, libusb_error_name(e));
            return KS_E_IO;
        }
        done += (size_t)sent;
    }
    return KS_OK;
}

/*
 * DLE EOT n (real-time status): one byte back, bits 1 and 4 set and 0 and 7
 * clear when it is a status byte at all. -1: no answer (many printers keep
 * quiet), -2: the printer went away.
 */
static int dle_eot(ks_usbprint_t *u, unsigned char n, char *why, size_t whylen)
{
    unsigned char ask[3] = {0x10, 0x04, n}, back[64];
    int sent = 0, got = 0;
    int e = libusb_bulk_transfer(u->h, u->ep_out, ask, sizeof ask, &sent, 1000);
    if (e == LIBUSB_ERROR_NO_DEVICE || e == LIBUSB_ERROR_IO) {
        snprintf(why, whylen, "bulk OUT 0x%02x: %s", u->ep_out, libusb_error_name(e));
        return -2;
    }
    if (e != 0 || sent != (int)sizeof ask)
        return -1;
    e = libusb_bulk_transfer(u->h, u->ep_in, back, sizeof back, &got, 500);
    if (e == LIBUSB_ERROR_NO_DEVICE) {
        snprintf(why, whylen, "bulk IN 0x%02x: %s", u->ep_in, libusb_error_name(e));
        return -2;
    }
    if (e != 0 || got < 1 || (back[0] & 0x93) != 0x12)
        return -1;
    return back[0];
}

static int u_status(void *ctx, ks_printer_status_t *st, char *why, size_t whylen)
{
    ks_usbprint_t *u = ctx;
    st->paper = KS_PAPER_UNKNOWN;
    st->cover = KS_COVER_UNKNOWN;
    if (!u->h || !u->ep_in)
        return KS_OK;
    int paper = dle_eot(u, 4, why, whylen); /* roll paper sensor */
    if (paper == -2)
        return KS_E_IO;
    if (paper >= 0)
        st->paper = (paper & 0x60)   ? KS_PAPER_OUT
                    : (paper & 0x0C) ? KS_PAPER_NEAR_END
                                     : KS_PAPER_OK;
    int offline = dle_eot(u, 2, why, whylen); /* offline cause */
    if (offline == -2)
        return KS_E_IO;
    if (offline >= 0) {
        st->cover = (offline & 0x04) ? KS_COVER_OPEN : KS_COVER_CLOSED;
        if (offline & 0x20)
            st->paper = KS_PAPER_OUT; /* stopped for want of paper */
    }
    return KS_OK;
}

ks_printer_io_t ks_usbprint_io(ks_usbprint_t *u)
{
    ks_printer_io_t io = {u_open, u_write, u_close, u, u_status, u_wait, u_wake};
    return io;
}
