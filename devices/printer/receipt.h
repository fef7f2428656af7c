/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The kiosk's receipt printer as the configuration describes it ([printer]):
 * the transport (a device node such as usblp's /dev/usb/lp0, or libusb with
 * the configured VID:PID list) and the print queue on its own thread.
 */
#ifndef KS_RECEIPT_H
#define KS_RECEIPT_H

#include "config.h"
#include "printer.h"

#include <stddef.h>

typedef struct ks_receipt ks_receipt_t;

/*
 * Starts the printer of cfg (which must have printer.enabled). notify runs on
 * the queue's thread. NULL with err filled when it cannot start (the kiosk
 * then runs without printing).
 */
ks_receipt_t *ks_receipt_start(const ks_config_t *cfg, ks_printer_notify_fn notify, void *ctx,
                               char *err, size_t errlen);
/* See ks_printer_submit / ks_printer_cancel. */
long long ks_receipt_submit(ks_receipt_t *r, const unsigned char *bytes, size_t n);
void ks_receipt_cancel(ks_receipt_t *r, long long job);
/* The printer as the queue last saw it (ks_printer_status). */
void ks_receipt_status(ks_receipt_t *r, ks_printer_status_t *out);
/* "device /dev/usb/lp0" or "libusb" (for logs and diagnostics). */
const char *ks_receipt_describe(const ks_receipt_t *r);
void ks_receipt_stop(ks_receipt_t *r);

#endif
