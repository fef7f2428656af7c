/* SPDX-License-Identifier: GPL-3.0-or-later */
/* VID:PID lists from the configuration (usbids.h). */
#include "usbids.h"

#include "error.h"

#include <stdio.h>

int ks_usb_ids_parse(const char *s, ks_usb_ids_t *out)
{
    ks_usb_ids_t ids = {0};
    const char *p = s ? s : "";
    while (*p) {
        while (*p == ' ' || *p == ',')
            p++;
        if (!*p)
            break;
        unsigned v = 0, d = 0;
        int n = 0;
        if (ids.n >= 16 || sscanf(p, "%4x:%4x%n", &v, &d, &n) != 2 || n != 9)
            return KS_E_PARSE;
        ids.vid[ids.n] = (uint16_t)v;
        ids.pid[ids.n] = (uint16_t)d;
        ids.n++;
        p += n;
        if (*p && *p != ',' && *p != ' ')
            return KS_E_PARSE;
    }
    *out = ids;
    return KS_OK;
}
