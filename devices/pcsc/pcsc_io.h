/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * One card through PC/SC, for the card profiles (card.h): connect in shared
 * mode inside a transaction, and the transmit function the profiles call.
 * Shared by the reader monitor (which reads identities) and the diagnostics
 * survey (which only recognises card kinds). Private to devices/pcsc.
 */
#ifndef KS_PCSC_IO_H
#define KS_PCSC_IO_H

#include <winscard.h>
#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>

typedef struct {
    SCARDHANDLE card;
    DWORD protocol;
    atomic_int *stop; /* may be NULL; when set, transmit gives up between APDUs */
    int in_transaction;
} ks_pcsc_card_t;

/*
 * Connects to the card in `reader` (shared, T=0 or T=1) and begins a
 * transaction, so that no other client's APDUs (the kiosk's reader thread,
 * a technician's --diagnose) come between ours and change the selected file.
 * Returns the pcsc-lite result of the connect; on success close with
 * ks_pcsc_card_close.
 */
LONG ks_pcsc_card_open(SCARDCONTEXT ctx, const char *reader, atomic_int *stop, ks_pcsc_card_t *c);

/* Ends the transaction and disconnects, leaving the card as it is. */
void ks_pcsc_card_close(ks_pcsc_card_t *c);

/* ks_card_transmit_fn over a ks_pcsc_card_t (ctx). */
int ks_pcsc_transmit(void *ctx, const uint8_t *capdu, size_t clen, uint8_t *rapdu, size_t *rlen);

#endif
