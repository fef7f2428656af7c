/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Card profiles behind a small interface: a profile reads a holder's identity
 * through a transport that sends one APDU and returns the reply. The PC/SC
 * monitor provides the real transport; tests and the virtual card provide an
 * emulated card. Adding another card kind means adding a profile, without
 * touching the monitor or the app.
 */
#ifndef KS_CARD_H
#define KS_CARD_H

#include "identity.h"

#include <stddef.h>
#include <stdint.h>

#define KS_APDU_MAX  261 /* short APDU: 5 header + 255 data + Le */
#define KS_RAPDU_MAX 258 /* 256 data + SW1 SW2 */

/*
 * One APDU round trip. Stores the reply (data followed by SW1 SW2) in rapdu
 * and its length in *rlen (at most KS_RAPDU_MAX). Returns KS_OK, or a
 * negative KS_E* code: KS_E_IO when the card went away or the transport
 * failed. A reply of fewer than 2 bytes is passed up as it is; the caller
 * treats it as an error (pcsc-lite returns 0 bytes when a card is yanked).
 */
typedef int (*ks_card_transmit_fn)(void *ctx, const uint8_t *capdu, size_t clen, uint8_t *rapdu,
                                   size_t *rlen);

typedef struct {
    ks_card_transmit_fn transmit;
    void *ctx;
} ks_card_io_t;

typedef enum {
    KS_CARD_OK = 0,
    KS_CARD_NOT_RECOGNISED, /* not a card this profile knows (e.g. SELECT -> 6A82) */
    KS_CARD_BAD_DATA,       /* recognised, but a record is malformed or fails validation */
    KS_CARD_REMOVED,        /* the card went away during the read */
    KS_CARD_IO_ERROR,       /* the reader or the transport failed */
} ks_card_result_t;

/* Short English name of a result, for logs. */
const char *ks_card_result_str(ks_card_result_t r);

typedef struct {
    const char *name; /* e.g. "social security card" */
    /*
     * Reads the holder's identity. On KS_CARD_OK `id` is complete and
     * validated; on any other result it is wiped. `why` receives a reason for
     * the log that holds no personal data. `apdus` (may be NULL) counts the
     * APDUs sent, for benchmarks.
     */
    ks_card_result_t (*read_identity)(const ks_card_io_t *io, ks_identity_t *id, char *why,
                                      size_t whylen, int *apdus);
    /*
     * Tells whether the card is of this kind without reading anything
     * personal (for staff diagnostics, which must never see a holder):
     * KS_CARD_OK when it is, KS_CARD_NOT_RECOGNISED when it is not,
     * KS_CARD_REMOVED or KS_CARD_IO_ERROR when the card could not be asked.
     * `why` as for read_identity.
     */
    ks_card_result_t (*recognise)(const ks_card_io_t *io, char *why, size_t whylen);
} ks_card_profile_t;

/*
 * The card kinds the kiosk knows, in the order they are tried (the reader
 * monitor reads with them; diagnostics recognise with them).
 */
extern const ks_card_profile_t *const ks_card_profiles[];
extern const size_t ks_card_profile_count;

/*
 * Sends an APDU and collects the whole answer: follows 61xx with GET RESPONSE
 * and repeats the command with the right Le on 6Cxx (bounded, no loops).
 * Returns KS_OK with the data in data[0..*dlen) and the final status word in
 * *sw, or a negative KS_E* code (KS_E_IO transport/card gone, KS_E_PARSE for
 * a reply shorter than 2 bytes, KS_E_TOOBIG when the data does not fit).
 */
int ks_apdu_exchange(const ks_card_io_t *io, const uint8_t *capdu, size_t clen, uint8_t *data,
                     size_t dcap, size_t *dlen, uint16_t *sw, int *apdus);

#endif
