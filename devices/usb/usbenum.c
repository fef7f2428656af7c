/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "usbenum.h"

#include "error.h"

#include <ctype.h>
#include <libusb.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

ks_usb_role_t ks_usb_role(uint16_t vid, uint16_t pid, uint8_t device_class, uint8_t iface_class,
                          const ks_usb_ids_t *printers)
{
    for (int i = 0; printers && i < printers->n; i++)
        if (printers->vid[i] == vid && printers->pid[i] == pid)
            return KS_USB_ROLE_PRINTER;
    uint8_t c = device_class ? device_class : iface_class;
    switch (c) {
    case LIBUSB_CLASS_PRINTER:
        return KS_USB_ROLE_PRINTER;
    case LIBUSB_CLASS_SMART_CARD:
        return KS_USB_ROLE_CARD_READER;
    case LIBUSB_CLASS_HUB:
        return KS_USB_ROLE_HUB;
    default:
        return KS_USB_ROLE_OTHER;
    }
}

const char *ks_usb_role_name(ks_usb_role_t r)
{
    static const char *const names[] = {"other", "printer", "card-reader", "hub"};
    return (unsigned)r < 4 ? names[r] : "other";
}

/* A string descriptor as printable ASCII ("" when it cannot be read). */
static void string_of(libusb_device_handle *h, uint8_t index, char *out, size_t outlen)
{
    out[0] = '\0';
    if (!h || !index)
        return;
    unsigned char buf[128];
    int n = libusb_get_string_descriptor_ascii(h, index, buf, sizeof buf);
    if (n <= 0)
        return;
    size_t o = 0;
    for (int i = 0; i < n && o + 1 < outlen; i++)
        out[o++] = isprint(buf[i]) ? (char)buf[i] : '?';
    out[o] = '\0';
}

int ks_usb_enumerate(ks_usb_device_t *out, int max, const ks_usb_ids_t *printers)
{
    libusb_context *ctx = NULL;
    if (libusb_init(&ctx) != 0)
        return KS_E_IO;
    libusb_device **list = NULL;
    ssize_t n = libusb_get_device_list(ctx, &list);
    if (n < 0) {
        libusb_exit(ctx);
        return KS_E_IO;
    }
    int found = 0;
    for (ssize_t i = 0; i < n && found < max; i++) {
        struct libusb_device_descriptor d;
        if (libusb_get_device_descriptor(list[i], &d) != 0)
            continue;
        ks_usb_device_t *u = &out[found++];
        memset(u, 0, sizeof *u);
        u->vid = d.idVendor;
        u->pid = d.idProduct;
        u->bus = libusb_get_bus_number(list[i]);
        u->address = libusb_get_device_address(list[i]);
        u->device_class = d.bDeviceClass;
        struct libusb_config_descriptor *cfg = NULL;
        if (libusb_get_active_config_descriptor(list[i], &cfg) == 0 ||
            libusb_get_config_descriptor(list[i], 0, &cfg) == 0) {
            if (cfg->bNumInterfaces > 0 && cfg->interface[0].num_altsetting > 0)
                u->iface_class = cfg->interface[0].altsetting[0].bInterfaceClass;
            libusb_free_config_descriptor(cfg);
        }
        u->role = ks_usb_role(u->vid, u->pid, u->device_class, u->iface_class, printers);
        libusb_device_handle *h = NULL;
        if (libusb_open(list[i], &h) == 0) {
            string_of(h, d.iManufacturer, u->manufacturer, sizeof u->manufacturer);
            string_of(h, d.iProduct, u->product, sizeof u->product);
            libusb_close(h);
        }
    }
    libusb_free_device_list(list, 1);
    libusb_exit(ctx);
    return found;
}

void ks_usb_library_version(char *out, size_t cap)
{
    const struct libusb_version *v = libusb_get_version();
    snprintf(out, cap, "%u.%u.%u", v->major, v->minor, v->micro);
}
