/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * What the receipt printer prints for a citizen, as ESC/POS bytes: the
 * booking slip (婚姻登记预约凭条) and the registry's queue ticket. Composed
 * from the booking as the backend returned it, which holds no ID number
 * and no phone: a slip cannot carry them. Words come from the catalogue in
 * the citizen's language (GB18030 on paper).
 */
#ifndef KS_SLIP_H
#define KS_SLIP_H

#include "api.h"
#include "catalog.h"
#include "escpos.h"

/*
 * The booking slip: header, 预约成功 (or 改约成功 when moved), the kind, the
 * time, the office and its address (may be NULL), the booking number large,
 * its QR code (the printer's QR command, or a raster image when qr_raster),
 * what to bring, and the divorce second window. 0 or a negative KS_E_* code.
 */
int ks_slip_booking(ks_escpos_t *e, const ks_catalog_t *cat, const ks_api_booking_t *b,
                    const char *address, int moved, int qr_raster);

/* The queue ticket: the number very large, the couples ahead, the counter, the booking's time. */
int ks_slip_ticket(ks_escpos_t *e, const ks_catalog_t *cat, const ks_api_checkin_t *t,
                   const ks_api_booking_t *b);

/*
 * The printer test page for staff: its title, the kiosk's id and the time
 * (when, as text), a line of Chinese, a QR code (or its raster image) and the
 * cut: what a technician checks on paper.
 */
int ks_slip_test(ks_escpos_t *e, const ks_catalog_t *cat, const char *kiosk_id, const char *when,
                 int qr_raster);

#endif
