/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * USB ids named in the configuration ([printer] ids): plain C, no libusb, so
 * the configuration is checked when it is read.
 */
#ifndef KS_USBIDS_H
#define KS_USBIDS_H

#include <stdint.h>

/*
 * A list of VID:PID pairs ("04b8:0202, 0416:5011") taken as printers even when
 * they do not say so (some ESC/POS printers report a vendor class). 0, or
 * KS_E_PARSE for a malformed list (nothing stored).
 */
typedef struct {
    int n;
    uint16_t vid[16], pid[16];
} ks_usb_ids_t;

int ks_usb_ids_parse(const char *s, ks_usb_ids_t *out);

#endif
