/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "survey.h"

#include "card.h"
#include "error.h"
#include "pcsc_io.h"

#include <stdio.h>
#include <string.h>

const char *ks_reader_state_name(ks_reader_state_t s)
{
    static const char *const names[] = {"unknown", "empty",  "present",
                                        "mute",    "in-use", "unavailable"};
    return (unsigned)s < sizeof names / sizeof names[0] ? names[s] : "unknown";
}

/*
 * Whether pcscd turned us away. pcscd drops a client that polkit refuses
 * (access_pcsc) as soon as it connects; pcsc-lite's client library then says
 * SCARD_W_SECURITY_VIOLATION from SCardEstablishContext (seen with Debian
 * 12's 1.9.9), and from 2.0.1 on also from SCardConnect (access_card).
 * Older libraries could only report the dropped connection as
 * SCARD_F_COMM_ERROR from SCardEstablishContext: taken as a refusal too,
 * since the daemon was there to accept and drop us.
 */
static int refused(LONG rc, int establishing)
{
    return rc == (LONG)SCARD_W_SECURITY_VIOLATION || rc == (LONG)SCARD_E_NO_ACCESS ||
           (establishing && rc == (LONG)SCARD_F_COMM_ERROR);
}

static void set_error(ks_pcsc_survey_t *out, LONG rc)
{
    out->error = (long)rc;
    snprintf(out->error_text, sizeof out->error_text, "%s", pcsc_stringify_error(rc));
    size_t n = strlen(out->error_text); /* "Service not available." goes inside sentences */
    if (n > 0 && out->error_text[n - 1] == '.')
        out->error_text[n - 1] = '\0';
}

static ks_reader_state_t state_of(DWORD ev, int *exclusive)
{
    *exclusive = (ev & SCARD_STATE_EXCLUSIVE) != 0;
    if (ev & SCARD_STATE_UNAVAILABLE)
        return KS_READER_UNAVAILABLE;
    if (ev & SCARD_STATE_EMPTY)
        return KS_READER_EMPTY;
    if (ev & SCARD_STATE_MUTE)
        return KS_READER_MUTE;
    if (ev & (SCARD_STATE_EXCLUSIVE | SCARD_STATE_INUSE))
        return KS_READER_IN_USE;
    if (ev & SCARD_STATE_PRESENT)
        return KS_READER_PRESENT;
    return KS_READER_UNKNOWN;
}

/*
 * Asks the card in r which kind it is (each profile's recognise). Returns the
 * pcsc-lite code when pcscd refused us the card, else 0.
 */
static LONG check_card(SCARDCONTEXT ctx, ks_survey_reader_t *r)
{
    ks_pcsc_card_t c;
    LONG rc = ks_pcsc_card_open(ctx, r->name, NULL, &c);
    if (rc != SCARD_S_SUCCESS) {
        r->kind_check = KS_KIND_NOT_CHECKED;
        snprintf(r->card_detail, sizeof r->card_detail, "%s%s",
                 refused(rc, 0) ? "refused by pcscd (polkit access_card): " : "cannot connect: ",
                 pcsc_stringify_error(rc));
        return refused(rc, 0) ? rc : 0;
    }
    ks_card_io_t io = {ks_pcsc_transmit, &c};
    ks_card_result_t res = KS_CARD_NOT_RECOGNISED;
    char why[96] = "";
    for (size_t i = 0; i < ks_card_profile_count && res == KS_CARD_NOT_RECOGNISED; i++) {
        const ks_card_profile_t *p = ks_card_profiles[i];
        if (!p->recognise)
            continue;
        res = p->recognise(&io, why, sizeof why);
        if (res == KS_CARD_OK)
            r->card_kind = p->name;
    }
    ks_pcsc_card_close(&c);
    if (res == KS_CARD_OK) {
        r->kind_check = KS_KIND_RECOGNISED;
    } else if (res == KS_CARD_NOT_RECOGNISED) {
        r->kind_check = KS_KIND_UNRECOGNISED;
        snprintf(r->card_detail, sizeof r->card_detail, "no card profile knows it (%s)", why);
    } else {
        r->kind_check = KS_KIND_NOT_CHECKED;
        snprintf(r->card_detail, sizeof r->card_detail, "%s: %s", ks_card_result_str(res), why);
    }
    return 0;
}

/* Lists the readers into out; the pcsc-lite result. */
static LONG list_readers(SCARDCONTEXT ctx, const char *pattern, ks_pcsc_survey_t *out)
{
    char buf[4096];
    DWORD len = sizeof buf;
    LONG rc = SCardListReaders(ctx, NULL, buf, &len);
    if (rc == (LONG)SCARD_E_NO_READERS_AVAILABLE)
        return SCARD_S_SUCCESS;
    if (rc != SCARD_S_SUCCESS)
        return rc;
    for (const char *p = buf; p < buf + len && *p; p += strlen(p) + 1) {
        out->n_readers++;
        int matches = !pattern || !pattern[0] || strstr(p, pattern) != NULL;
        out->n_matching += matches;
        if (out->n_readers > KS_SURVEY_MAX_READERS)
            continue; /* counted, not kept */
        ks_survey_reader_t *r = &out->readers[out->n_readers - 1];
        size_t n = strlen(p) < sizeof r->name ? strlen(p) : sizeof r->name - 1;
        memcpy(r->name, p, n); /* pcsc-lite's names fit (MAX_READERNAME 128) */
        r->name[n] = '\0';
        r->matches = matches;
    }
    return SCARD_S_SUCCESS;
}

int ks_pcsc_survey(const char *pattern, ks_pcsc_survey_t *out)
{
    memset(out, 0, sizeof *out);
    SCARDCONTEXT ctx;
    LONG rc = SCardEstablishContext(SCARD_SCOPE_SYSTEM, NULL, NULL, &ctx);
    if (rc != SCARD_S_SUCCESS) {
        set_error(out, rc);
        out->access_refused = refused(rc, 1);
        out->running = rc != (LONG)SCARD_E_NO_SERVICE;
        return KS_E_IO;
    }
    out->running = 1;
    rc = list_readers(ctx, pattern, out);
    if (rc != SCARD_S_SUCCESS) {
        set_error(out, rc);
        out->access_refused = refused(rc, 0);
        out->running = rc != (LONG)SCARD_E_NO_SERVICE && rc != (LONG)SCARD_E_SERVICE_STOPPED;
        SCardReleaseContext(ctx);
        return KS_E_IO;
    }
    int kept = out->n_readers < KS_SURVEY_MAX_READERS ? out->n_readers : KS_SURVEY_MAX_READERS;
    SCARD_READERSTATE st[KS_SURVEY_MAX_READERS];
    memset(st, 0, sizeof st);
    for (int i = 0; i < kept; i++) {
        st[i].szReader = out->readers[i].name;
        st[i].dwCurrentState = SCARD_STATE_UNAWARE; /* answers at once with the state */
    }
    rc = kept > 0 ? SCardGetStatusChange(ctx, 0, st, (DWORD)kept) : SCARD_S_SUCCESS;
    if (rc != SCARD_S_SUCCESS && rc != (LONG)SCARD_E_TIMEOUT) {
        set_error(out, rc); /* the readers stay listed, their state unknown */
        kept = 0;
    }
    for (int i = 0; i < kept; i++) {
        ks_survey_reader_t *r = &out->readers[i];
        r->state = state_of(st[i].dwEventState, &r->exclusive);
        if (r->state != KS_READER_EMPTY && r->state != KS_READER_UNAVAILABLE) {
            r->atr_len = st[i].cbAtr < sizeof r->atr ? st[i].cbAtr : sizeof r->atr;
            memcpy(r->atr, st[i].rgbAtr, r->atr_len);
        }
        if (r->atr_len == 0 || r->exclusive ||
            (r->state != KS_READER_PRESENT && r->state != KS_READER_IN_USE))
            continue;
        LONG why = check_card(ctx, r);
        if (why) {
            out->access_refused = 1;
            if (!out->error)
                set_error(out, why);
        }
    }
    SCardReleaseContext(ctx);
    return KS_OK;
}

const char *ks_pcsc_library_version(void)
{
    return PCSCLITE_VERSION_NUMBER;
}
