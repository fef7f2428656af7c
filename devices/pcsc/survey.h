/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * A one-off look at PC/SC for staff diagnostics: is pcscd there, does it let
 * us in (polkit), which readers are connected, in what state, with which
 * card (ATR, and the kind a card profile recognises). It has its own PC/SC
 * context, so it may run on any thread while the reader monitor runs. It
 * never reads personal data: a card is only asked whether it is of a known
 * kind (card.h, recognise). Plain data out, no PC/SC types.
 */
#ifndef KS_PCSC_SURVEY_H
#define KS_PCSC_SURVEY_H

#include <stddef.h>
#include <stdint.h>

#define KS_SURVEY_MAX_READERS 16
#define KS_SURVEY_ATR_MAX     33 /* ISO 7816-3: at most 33 bytes */

typedef enum {
    KS_READER_UNKNOWN = 0, /* pcscd did not say */
    KS_READER_EMPTY,       /* no card */
    KS_READER_PRESENT,     /* a card, powered and answering */
    KS_READER_MUTE,        /* a card that does not answer (upside down, dead, not a chip card) */
    KS_READER_IN_USE,      /* a program has the card open (see exclusive) */
    KS_READER_UNAVAILABLE, /* the reader itself cannot be used */
} ks_reader_state_t;

/* "unknown", "empty", "present", "mute", "in-use", "unavailable". */
const char *ks_reader_state_name(ks_reader_state_t s);

typedef enum {
    KS_KIND_NONE = 0,     /* no card, or a mute one: nothing to ask */
    KS_KIND_RECOGNISED,   /* card_kind names the profile */
    KS_KIND_UNRECOGNISED, /* it answered, no profile knows it */
    KS_KIND_NOT_CHECKED,  /* it could not be asked (card_detail says why) */
} ks_kind_check_t;

typedef struct {
    char name[128];
    int matches;   /* the configured reader pattern selects this reader */
    int exclusive; /* another program holds the card exclusively: the kiosk cannot read it */
    ks_reader_state_t state;
    uint8_t atr[KS_SURVEY_ATR_MAX];
    size_t atr_len; /* 0: no ATR (no card) */
    ks_kind_check_t kind_check;
    const char *card_kind; /* the profile's name when KS_KIND_RECOGNISED, else NULL */
    char card_detail[128]; /* why a card was not recognised or not checked; no personal data */
} ks_survey_reader_t;

typedef struct {
    int running;         /* pcscd answered (even if only to refuse us) */
    int access_refused;  /* pcscd refused this user (polkit access_pcsc or access_card) */
    long error;          /* the pcsc-lite code behind running/access_refused, 0 when none */
    char error_text[96]; /* pcsc_stringify_error of it, "" when none */
    int n_readers;       /* readers listed (at most KS_SURVEY_MAX_READERS are kept) */
    int n_matching;      /* of them, selected by the pattern */
    ks_survey_reader_t readers[KS_SURVEY_MAX_READERS];
} ks_pcsc_survey_t;

/*
 * Looks at PC/SC once (blocking for a few PC/SC round trips and, per card,
 * one APDU). pattern: the [card] reader substring (NULL or "" = any).
 * Always fills `out`; returns 0 when pcscd could be asked, or KS_E_IO when
 * it is absent or refused us (out says which).
 */
int ks_pcsc_survey(const char *pattern, ks_pcsc_survey_t *out);

/* The pcsc-lite version this was built against (the library has no run-time query). */
const char *ks_pcsc_library_version(void);

#endif
