/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "receipt.h"

#include "devprint.h"
#include "error.h"
#include "usbprint.h"

#include <stdio.h>
#include <stdlib.h>

/* How long one write may stall before the job is tried again from a fresh open. */
#define WRITE_TIMEOUT_MS 5000

struct ks_receipt {
    ks_devprint_t *dev;
    ks_usbprint_t *usb;
    ks_printer_t *queue;
    char describe[KS_CONFIG_PATH_MAX + 16];
};

ks_receipt_t *ks_receipt_start(const ks_config_t *cfg, ks_printer_notify_fn notify, void *ctx,
                               char *err, size_t errlen)
{
    ks_receipt_t *r = calloc(1, sizeof *r);
    if (!r) {
        snprintf(err, errlen, "out of memory");
        return NULL;
    }
    ks_printer_io_t io;
    if (cfg->printer.device[0]) {
        r->dev = ks_devprint_new(cfg->printer.device, WRITE_TIMEOUT_MS);
        if (r->dev)
            io = ks_devprint_io(r->dev);
        snprintf(r->describe, sizeof r->describe, "device %s", cfg->printer.device);
    } else {
        ks_usb_ids_t ids;
        if (ks_usb_ids_parse(cfg->printer.ids, &ids) != KS_OK)
            ids.n = 0; /* checked when the configuration was read */
        r->usb = ks_usbprint_new(&ids, WRITE_TIMEOUT_MS);
        if (r->usb)
            io = ks_usbprint_io(r->usb);
        snprintf(r->describe, sizeof r->describe, "libusb");
    }
    if (!r->dev && !r->usb) {
        snprintf(err, errlen, "cannot set up the printer transport");
        ks_receipt_stop(r);
        return NULL;
    }
    /* Idle, the printer is looked for every 10 s: plugged in or out, paper, cover (diagnostics). */
    ks_printer_opts_t o = {
        .retry_ms = 2000, .patience_ms = cfg->printer.patience_s * 1000, .poll_ms = 10000};
    r->queue = ks_printer_new(&io, &o, notify, ctx);
    if (!r->queue) {
        snprintf(err, errlen, "cannot start the print queue");
        ks_receipt_stop(r);
        return NULL;
    }
    return r;
}

long long ks_receipt_submit(ks_receipt_t *r, const unsigned char *bytes, size_t n)
{
    return r ? ks_printer_submit(r->queue, bytes, n) : KS_E_STATE;
}

void ks_receipt_cancel(ks_receipt_t *r, long long job)
{
    if (r)
        ks_printer_cancel(r->queue, job);
}

void ks_receipt_status(ks_receipt_t *r, ks_printer_status_t *out)
{
    ks_printer_status(r ? r->queue : NULL, out);
}

const char *ks_receipt_describe(const ks_receipt_t *r)
{
    return r ? r->describe : "none";
}

void ks_receipt_stop(ks_receipt_t *r)
{
    if (!r)
        return;
    ks_printer_free(r->queue); /* joins the thread before its transport goes */
    ks_devprint_free(r->dev);
    ks_usbprint_free(r->usb);
    free(r);
}
