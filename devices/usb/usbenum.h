/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The USB devices on the kiosk, for diagnostics and for finding the receipt
 * printer: libusb enumeration reduced to plain data (no libusb types leave
 * this module). Strings (manufacturer, product) need the device opened; a
 * device the kiosk may not open keeps them empty.
 */
#ifndef KS_USBENUM_H
#define KS_USBENUM_H

#include <stddef.h>
#include <stdint.h>

#include "usbids.h"

#define KS_USB_MAX_DEVICES 64

typedef enum {
    KS_USB_ROLE_OTHER = 0,
    KS_USB_ROLE_PRINTER,     /* class 7 on the device or an interface, or a configured VID:PID */
    KS_USB_ROLE_CARD_READER, /* class 0x0B (CCID smart card) */
    KS_USB_ROLE_HUB,         /* class 9 */
} ks_usb_role_t;

typedef struct {
    uint16_t vid, pid;
    uint8_t bus, address;
    uint8_t device_class; /* bDeviceClass */
    uint8_t iface_class;  /* the first interface's class (when the device's is 0) */
    ks_usb_role_t role;
    char manufacturer[64];
    char product[64];
} ks_usb_device_t;

/* The role of a device from its classes and the configured printer ids (may be NULL). */
ks_usb_role_t ks_usb_role(uint16_t vid, uint16_t pid, uint8_t device_class, uint8_t iface_class,
                          const ks_usb_ids_t *printers);

/* "printer", "card-reader", "hub", "other". */
const char *ks_usb_role_name(ks_usb_role_t r);

/*
 * Enumerates the devices into out (at most max): the number found, or a
 * negative KS_E_* code when libusb cannot start (no USB at all: KS_E_IO).
 */
int ks_usb_enumerate(ks_usb_device_t *out, int max, const ks_usb_ids_t *printers);

/* The libusb in use, "1.0.26" (for diagnostics). */
void ks_usb_library_version(char *out, size_t cap);

#endif
