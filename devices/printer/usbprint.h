/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The printer transport over libusb: the first USB device whose role is
 * printer (class 7, or a configured VID:PID; usbenum.h), its interface 0
 * claimed, its first bulk OUT endpoint written, its bulk IN endpoint (when
 * there is one) read for DLE EOT status. Hot-plug through libusb's callbacks
 * where libusb has them. Fills a ks_printer_io_t.
 */
#ifndef KS_USBPRINT_H
#define KS_USBPRINT_H

#include "printer.h"
#include "usbenum.h"

typedef struct ks_usbprint ks_usbprint_t;

/* printers may be NULL (class 7 only). NULL when out of memory. */
ks_usbprint_t *ks_usbprint_new(const ks_usb_ids_t *printers, int timeout_ms);
void ks_usbprint_free(ks_usbprint_t *u);

/* 1 when libusb reports devices coming and going (udev); else the queue rescans on a clock. */
int ks_usbprint_hotplug(const ks_usbprint_t *u);
/* The transport for ks_printer_new (valid while u lives). */
ks_printer_io_t ks_usbprint_io(ks_usbprint_t *u);

#endif
