/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The card interface (card.h): result names and the APDU exchange that every
 * profile uses, with the T=0 status words 61xx and 6Cxx handled once here.
 */
#include "card.h"
#include "error.h"

#include <string.h>

/*
 * GET RESPONSE rounds after one command. A short APDU answer holds at most
 * 256 bytes, so honest cards need 1 or 2 rounds (more with small chunks);
 * a card that keeps answering 61xx is cut off here.
 */
#define KS_APDU_MAX_ROUNDS 32

const char *ks_card_result_str(ks_card_result_t r)
{
    switch (r) {
    case KS_CARD_OK:
        return "ok";
    case KS_CARD_NOT_RECOGNISED:
        return "card not recognised";
    case KS_CARD_BAD_DATA:
        return "bad card data";
    case KS_CARD_REMOVED:
        return "card removed";
    case KS_CARD_IO_ERROR:
        return "reader error";
    }
    return "unknown result";
}

/*
 * Rewrites cmd (length *len, a short APDU) so that its Le is `le`: replaces
 * the Le of a case 2/4 command, appends one to a case 1/3 command. Returns
 * KS_OK, or KS_E_INVAL when the command is not a well-formed short APDU.
 */
static int set_le(uint8_t *cmd, size_t *len, uint8_t le)
{
    size_t n = *len;
    if (n == 4) {
        cmd[4] = le; /* case 1 -> case 2 */
        *len = 5;
        return KS_OK;
    }
    if (n == 5) {
        cmd[4] = le; /* case 2 */
        return KS_OK;
    }
    size_t lc = cmd[4];
    if (lc == 0)
        return KS_E_INVAL; /* extended length: not used here */
    if (n == 5 + lc) {
        if (n >= KS_APDU_MAX)
            return KS_E_INVAL;
        cmd[n] = le; /* case 3 -> case 4 */
        *len = n + 1;
        return KS_OK;
    }
    if (n == 6 + lc) {
        cmd[n - 1] = le; /* case 4 */
        return KS_OK;
    }
    return KS_E_INVAL;
}

/* One transmit with the length checks of card.h; counts the APDU. */
static int transmit(const ks_card_io_t *io, const uint8_t *cmd, size_t clen, uint8_t *reply,
                    size_t *rlen, int *apdus)
{
    if (apdus != NULL)
        (*apdus)++;
    *rlen = KS_RAPDU_MAX;
    int rc = io->transmit(io->ctx, cmd, clen, reply, rlen);
    if (rc != KS_OK)
        return rc < 0 ? rc : KS_E_IO;
    if (*rlen < 2 || *rlen > KS_RAPDU_MAX)
        return KS_E_PARSE;
    return KS_OK;
}

/* Appends n bytes to data[*dlen..dcap). */
static int append(uint8_t *data, size_t dcap, size_t *dlen, const uint8_t *src, size_t n)
{
    if (n == 0)
        return KS_OK;
    if (data == NULL || n > dcap - *dlen)
        return KS_E_TOOBIG;
    memcpy(data + *dlen, src, n);
    *dlen += n;
    return KS_OK;
}

/*
 * See card.h. Counting adds to *apdus, so a profile can pass one counter
 * through all its exchanges. A card that keeps asking for GET RESPONSE past
 * KS_APDU_MAX_ROUNDS, or answers 6Cxx to the corrected command too, ends the
 * exchange with KS_OK and that status word: the caller rejects it like any
 * other status word that is not 9000.
 */
int ks_apdu_exchange(const ks_card_io_t *io, const uint8_t *capdu, size_t clen, uint8_t *data,
                     size_t dcap, size_t *dlen, uint16_t *sw, int *apdus)
{
    if (io == NULL || io->transmit == NULL || capdu == NULL || dlen == NULL || sw == NULL ||
        clen < 4 || clen > KS_APDU_MAX)
        return KS_E_INVAL;
    *dlen = 0;
    *sw = 0;

    uint8_t cmd[KS_APDU_MAX + 1];
    uint8_t reply[KS_RAPDU_MAX];
    size_t cmdlen = clen, rlen = 0;
    memcpy(cmd, capdu, clen);

    int rc = transmit(io, cmd, cmdlen, reply, &rlen, apdus);
    if (rc == KS_OK && reply[rlen - 2] == 0x6C) {
        /* Wrong Le: the card says how many bytes it has. Resend once. */
        rc = set_le(cmd, &cmdlen, reply[rlen - 1]);
        if (rc == KS_OK)
            rc = transmit(io, cmd, cmdlen, reply, &rlen, apdus);
    }
    for (int round = 0; rc == KS_OK; round++) {
        /* Data can come with any status word, 61xx included: keep it all. */
        uint8_t sw1 = reply[rlen - 2], sw2 = reply[rlen - 1];
        rc = append(data, dcap, dlen, reply, rlen - 2);
        if (rc != KS_OK)
            break;
        *sw = (uint16_t)(sw1 << 8 | sw2);
        if (sw1 != 0x61 || round == KS_APDU_MAX_ROUNDS)
            break;
        /* 61xx: xx more bytes (00: 256) wait for a GET RESPONSE. */
        const uint8_t get_response[5] = {0x00, 0xC0, 0x00, 0x00, sw2};
        rc = transmit(io, get_response, sizeof get_response, reply, &rlen, apdus);
    }
    /* Replies carry personal data: leave none of it on the stack. */
    explicit_bzero(reply, sizeof reply);
    explicit_bzero(cmd, sizeof cmd);
    return rc;
}
