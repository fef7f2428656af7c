#include "usbprint.h"

#include "error.h"

#include <libusb.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct ks_usbprint {
    ks_usb_ids_t printers;
    int timeout_ms;
    libusb_context *ctx;
    libusb_device_handle *h;
    unsigned char ep_out;
    int iface;
};

ks_usbprint_t *ks_usbprint_new(const ks_usb_ids_t *printers, int timeout_ms)
{
    ks_usbprint_t *u = calloc(1, sizeof *u);
    if (!u)
        return NULL;
    if (printers)
        u->printers = *printers;
    u->timeout_ms = timeout_ms > 0 ? timeout_ms : 5000;
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
    if (u->ctx) {
        libusb_exit(u->ctx);
        u->ctx = NULL;
    }
}

void ks_usbprint_free(ks_usbprint_t *u)
{
    if (!u)
        return;
    u_close(u);
    free(u);
}

/* The first bulk OUT endpoint of interface 0, or 0. */
static unsigned char bulk_out(libusb_device *d)
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
                !(x->bEndpointAddress & LIBUSB_ENDPOINT_IN))
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
    if (libusb_init(&u->ctx) != 0) {
        snprintf(why, whylen, "libusb cannot start");
        u->ctx = NULL;
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
        unsigned char ep = bulk_out(list[i]);
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
        if (e != 0 && sent <= 0) {
            snprintf(why, whylen, "bulk OUT 0x%02x: %s", u->ep_out, libusb_error_name(e));
            return KS_E_IO;
        }
        done += (size_t)sent;
    }
    return KS_OK;
}

ks_printer_io_t ks_usbprint_io(ks_usbprint_t *u)
{
    ks_printer_io_t io = {u_open, u_write, u_close, u};
    return io;
}
