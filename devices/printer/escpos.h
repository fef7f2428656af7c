/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * ESC/POS encoding for 58/80 mm receipt printers, as plain data: a growing
 * byte buffer that the printer transport (libusb, its own thread) sends as it
 * is. No I/O here, so every command is tested byte for byte.
 *
 * Text arrives as UTF-8 and leaves as GB18030 (iconv), the character set of
 * the Chinese printers the bureau uses; the printer is put in its Chinese
 * mode (FS &) by ks_escpos_reset. Slips never carry a full ID number: the
 * encoder does not know what it prints, so the callers compose slips from
 * booking data that has none.
 */
#ifndef KS_ESCPOS_H
#define KS_ESCPOS_H

#include <stddef.h>

typedef struct ks_escpos ks_escpos_t;

typedef enum { KS_ESCPOS_LEFT = 0, KS_ESCPOS_CENTER = 1, KS_ESCPOS_RIGHT = 2 } ks_escpos_align_t;

/* A new, empty buffer (NULL when out of memory or iconv has no GB18030). */
ks_escpos_t *ks_escpos_new(void);

/* Frees the buffer, wiping its bytes (a slip may hold a name or a booking number). */
void ks_escpos_free(ks_escpos_t *e);

/* The bytes so far and their number; valid until the next call. */
const unsigned char *ks_escpos_data(const ks_escpos_t *e, size_t *len);

/*
 * Each command appends its bytes and returns 0, or a negative KS_E_* code with
 * nothing appended: KS_E_INVAL for an argument out of range or text that is
 * not valid UTF-8 or holds control characters other than '\n' (they would be
 * printer commands), KS_E_NOMEM. GB18030 encodes every Unicode character.
 */

/* ESC @ (initialise) then FS & (Chinese character mode). */
int ks_escpos_reset(ks_escpos_t *e);

/* ESC a n. */
int ks_escpos_align(ks_escpos_t *e, ks_escpos_align_t a);

/* ESC E n: emphasised (bold) on or off. */
int ks_escpos_bold(ks_escpos_t *e, int on);

/* GS ! n: character width and height multipliers, 1..8 each. */
int ks_escpos_size(ks_escpos_t *e, int width, int height);

/* UTF-8 text in GB18030; '\n' is LF (print and feed one line). */
int ks_escpos_text(ks_escpos_t *e, const char *utf8);

/* ks_escpos_text, then LF. */
int ks_escpos_line(ks_escpos_t *e, const char *utf8);

/* ESC d n: print and feed n lines, 0..255. */
int ks_escpos_feed(ks_escpos_t *e, int lines);

/* GS V 66 n: feed n dots (0..255) and cut, leaving a hinge (partial cut). */
int ks_escpos_cut(ks_escpos_t *e, int feed_dots);

/*
 * A QR code by the printer's own QR command (GS ( k, function 165/167/169/
 * 180/181): model 2, module size 1..16 dots, error correction M, the data
 * stored then printed. data: 1..7089 bytes.
 */
int ks_escpos_qr(ks_escpos_t *e, const char *data, int module_dots);

/*
 * The same QR code as a raster image (GS v 0, normal density), drawn from
 * libqrencode: for printers without the QR command. A quiet zone of 4
 * modules; module 1..16 dots; the image at most 576 dots wide (80 mm paper).
 */
int ks_escpos_qr_raster(ks_escpos_t *e, const char *data, int module_dots);

#endif
