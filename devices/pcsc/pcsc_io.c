/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "pcsc_io.h"

#include "card.h"
#include "error.h"
#include "log.h"

#include <string.h>

LONG ks_pcsc_card_open(SCARDCONTEXT ctx, const char *reader, atomic_int *stop, ks_pcsc_card_t *c)
{
    memset(c, 0, sizeof *c);
    c->stop = stop;
    LONG rc = SCardConnect(ctx, reader, SCARD_SHARE_SHARED, SCARD_PROTOCOL_T0 | SCARD_PROTOCOL_T1,
                           &c->card, &c->protocol);
    if (rc != SCARD_S_SUCCESS)
        return rc;
    /* Without it the read still goes ahead: a transaction is a courtesy, not a need. */
    c->in_transaction = SCardBeginTransaction(c->card) == SCARD_S_SUCCESS;
    return SCARD_S_SUCCESS;
}

void ks_pcsc_card_close(ks_pcsc_card_t *c)
{
    if (c->in_transaction)
        SCardEndTransaction(c->card, SCARD_LEAVE_CARD);
    SCardDisconnect(c->card, SCARD_LEAVE_CARD);
    c->in_transaction = 0;
}

int ks_pcsc_transmit(void *ctx, const uint8_t *capdu, size_t clen, uint8_t *rapdu, size_t *rlen)
{
    ks_pcsc_card_t *c = ctx;
    DWORD len = KS_RAPDU_MAX;
    if (c->stop && atomic_load(c->stop))
        return KS_E_IO;
    const SCARD_IO_REQUEST *pci = c->protocol == SCARD_PROTOCOL_T0 ? SCARD_PCI_T0 : SCARD_PCI_T1;
    LONG rc = SCardTransmit(c->card, pci, capdu, (DWORD)clen, NULL, rapdu, &len);
    if (rc != SCARD_S_SUCCESS) {
        ks_log(KS_LOG_INFO, "pcsc", "transmit: %s", pcsc_stringify_error(rc));
        return KS_E_IO;
    }
    /* A 0-byte success means the card vanished mid-APDU: the profile sees < 2 bytes. */
    *rlen = len > KS_RAPDU_MAX ? KS_RAPDU_MAX : (size_t)len;
    return KS_OK;
}
