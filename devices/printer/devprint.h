/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The printer transport over a character device: the kernel's usblp driver
 * (/dev/usb/lp0), which Linux binds to a class-7 printer by default, or any
 * device node that takes ESC/POS bytes (a serial printer's /dev/ttyUSB0 set
 * up by udev). The node is opened for each job and never created: a missing
 * node is a printer that is not connected. Fills a ks_printer_io_t.
 */
#ifndef KS_DEVPRINT_H
#define KS_DEVPRINT_H

#include "printer.h"

typedef struct ks_devprint ks_devprint_t;

/* path: the device node; timeout_ms: how long one write may stall. NULL when out of memory. */
ks_devprint_t *ks_devprint_new(const char *path, int timeout_ms);
void ks_devprint_free(ks_devprint_t *d);
/* The transport for ks_printer_new (valid while d lives). */
ks_printer_io_t ks_devprint_io(ks_devprint_t *d);

#endif
