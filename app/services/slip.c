/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "slip.h"

#include "error.h"
#include "utf8.h"
#include "words.h"

#include <stdio.h>
#include <string.h>

/* A catalogue text as printed: without the screen's break markers (U+200B). */
static int say(ks_escpos_t *e, const char *text)
{
    char buf[1024];
    size_t n = strlen(text);
    if (n >= sizeof buf)
        return KS_E_TOOBIG;
    ks_utf8_copy_visible(buf, text, n);
    return ks_escpos_line(e, buf);
}

/* "{what}：{value}" (marry.review_line). */
static int labelled(ks_escpos_t *e, const ks_catalog_t *cat, const char *what_key,
                    const char *value)
{
    char line[768];
    ks_catalog_format(line, sizeof line, ks_catalog_get(cat, "marry.review_line"), "what",
                      ks_catalog_get(cat, what_key), "value", value, (const char *)NULL);
    return say(e, line);
}

static const char *kind_key(ks_booking_type_t t)
{
    static const char *const keys[] = {"marry.kind_marriage", "marry.kind_divorce",
                                       "marry.kind_reissue"};
    return keys[(unsigned)t % 3];
}

/* The header every slip starts with: the service's name, centred. */
static int header(ks_escpos_t *e, const ks_catalog_t *cat, const char *title_key)
{
    int rc = ks_escpos_reset(e);
    if (rc == KS_OK)
        rc = ks_escpos_align(e, KS_ESCPOS_CENTER);
    if (rc == KS_OK)
        rc = say(e, ks_catalog_get(cat, "app.banner"));
    if (rc == KS_OK)
        rc = ks_escpos_bold(e, 1);
    if (rc == KS_OK)
        rc = ks_escpos_size(e, 2, 2);
    if (rc == KS_OK)
        rc = say(e, ks_catalog_get(cat, title_key));
    if (rc == KS_OK)
        rc = ks_escpos_size(e, 1, 1);
    if (rc == KS_OK)
        rc = ks_escpos_bold(e, 0);
    return rc;
}

static int footer(ks_escpos_t *e)
{
    int rc = ks_escpos_feed(e, 3);
    return rc == KS_OK ? ks_escpos_cut(e, 0) : rc;
}

int ks_slip_booking(ks_escpos_t *e, const ks_catalog_t *cat, const ks_api_booking_t *b,
                    const char *address, int moved, int qr_raster)
{
    if (!e || !cat || !b || !b->number[0])
        return KS_E_INVAL;
    char when[160], text[512];
    int rc = header(e, cat, moved ? "marry.moved_title" : "marry.booked_title");
    if (rc == KS_OK)
        rc = ks_escpos_align(e, KS_ESCPOS_LEFT);
    if (rc == KS_OK)
        rc = labelled(e, cat, "marry.r_kind", ks_catalog_get(cat, kind_key(b->type)));
    ks_words_when(cat, b->start, b->end, when, sizeof when);
    if (rc == KS_OK)
        rc = labelled(e, cat, "marry.r_when", when);
    if (rc == KS_OK)
        rc = labelled(e, cat, "marry.r_office", b->office_name);
    if (rc == KS_OK && address && *address)
        rc = say(e, address);
    if (rc == KS_OK)
        rc = ks_escpos_align(e, KS_ESCPOS_CENTER);
    if (rc == KS_OK)
        rc = say(e, ks_catalog_get(cat, "marry.number_label"));
    /* The number large and bold: staff read it out; the QR code under it scans it. */
    if (rc == KS_OK)
        rc = ks_escpos_bold(e, 1);
    if (rc == KS_OK)
        rc = ks_escpos_size(e, 2, 2);
    if (rc == KS_OK)
        rc = ks_escpos_line(e, b->number);
    if (rc == KS_OK)
        rc = ks_escpos_size(e, 1, 1);
    if (rc == KS_OK)
        rc = ks_escpos_bold(e, 0);
    if (rc == KS_OK)
        rc = qr_raster ? ks_escpos_qr_raster(e, b->number, 6) : ks_escpos_qr(e, b->number, 6);
    if (rc == KS_OK)
        rc = ks_escpos_feed(e, 1);
    if (rc == KS_OK)
        rc = ks_escpos_align(e, KS_ESCPOS_LEFT);
    if (rc == KS_OK && b->type == KS_DIVORCE && b->second_from[0]) {
        char from[64], to[64];
        ks_words_date(cat, b->second_from, from, sizeof from);
        ks_words_date(cat, b->second_to, to, sizeof to);
        ks_catalog_format(text, sizeof text, ks_catalog_get(cat, "marry.second_window"), "from",
                          from, "to", to, (const char *)NULL);
        rc = say(e, text);
    }
    static const char *const bring[] = {"marry.bring_marriage", "marry.bring_divorce",
                                        "marry.bring_reissue"};
    ks_catalog_format(text, sizeof text, ks_catalog_get(cat, "marry.bring"), "list",
                      ks_catalog_get(cat, bring[(unsigned)b->type % 3]), (const char *)NULL);
    if (rc == KS_OK)
        rc = say(e, text);
    if (rc == KS_OK)
        rc = say(e, ks_catalog_get(cat, "marry.come_together"));
    return rc == KS_OK ? footer(e) : rc;
}

int ks_slip_ticket(ks_escpos_t *e, const ks_catalog_t *cat, const ks_api_checkin_t *t,
                   const ks_api_booking_t *b)
{
    if (!e || !cat || !t || !t->ticket[0])
        return KS_E_INVAL;
    char text[256], n[16];
    int rc = header(e, cat, "marry.ticket_label");
    /* The ticket number as large as the printer makes it. */
    if (rc == KS_OK)
        rc = ks_escpos_bold(e, 1);
    if (rc == KS_OK)
        rc = ks_escpos_size(e, 4, 4);
    if (rc == KS_OK)
        rc = ks_escpos_line(e, t->ticket);
    if (rc == KS_OK)
        rc = ks_escpos_size(e, 1, 1);
    if (rc == KS_OK)
        rc = ks_escpos_bold(e, 0);
    snprintf(n, sizeof n, "%d", t->waiting_ahead);
    ks_catalog_format(text, sizeof text, ks_catalog_get(cat, "marry.waiting_ahead"), "n", n,
                      (const char *)NULL);
    if (rc == KS_OK)
        rc = say(e, text);
    if (rc == KS_OK && t->counter_hint[0])
        rc = say(e, t->counter_hint);
    if (rc == KS_OK && b) {
        char when[160];
        ks_words_when(cat, b->start, b->end, when, sizeof when);
        rc = labelled(e, cat, "marry.r_when", when);
    }
    if (rc == KS_OK)
        rc = say(e, ks_catalog_get(cat, "marry.ticket_note"));
    return rc == KS_OK ? footer(e) : rc;
}

int ks_slip_test(ks_escpos_t *e, const ks_catalog_t *cat, const char *kiosk_id, const char *when,
                 int qr_raster)
{
    if (!e || !cat || !kiosk_id || !when)
        return KS_E_INVAL;
    char text[256];
    int rc = header(e, cat, "staff.test_title");
    if (rc == KS_OK)
        rc = ks_escpos_align(e, KS_ESCPOS_LEFT);
    ks_catalog_format(text, sizeof text, ks_catalog_get(cat, "staff.test_kiosk"), "id",
                      kiosk_id[0] ? kiosk_id : "-", "when", when, (const char *)NULL);
    if (rc == KS_OK)
        rc = say(e, text);
    /* Chinese text in the printer's GB18030 font, a rare character among them. */
    if (rc == KS_OK)
        rc = say(e, ks_catalog_get(cat, "staff.test_chinese"));
    if (rc == KS_OK)
        rc = ks_escpos_align(e, KS_ESCPOS_CENTER);
    if (rc == KS_OK)
        rc = qr_raster ? ks_escpos_qr_raster(e, "CIVIC-KIOSK TEST", 6)
                       : ks_escpos_qr(e, "CIVIC-KIOSK TEST", 6);
    if (rc == KS_OK)
        rc = ks_escpos_feed(e, 1);
    if (rc == KS_OK)
        rc = say(e, ks_catalog_get(cat, "staff.test_end"));
    return rc == KS_OK ? footer(e) : rc;
}
