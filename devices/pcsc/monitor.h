/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The PC/SC reader monitor: a thread that owns the PC/SC context, watches
 * readers and cards, reads each inserted card with the card profiles, and
 * posts events. It recovers by itself when pcscd is absent, killed or
 * restarted (release, re-establish with backoff). It never touches the UI:
 * events go out through the post callback, whose receiver owns them.
 */
#ifndef KS_PCSC_MONITOR_H
#define KS_PCSC_MONITOR_H

#include "card.h"
#include "identity.h"

typedef enum {
    KS_CARDEV_READER_ADDED,
    KS_CARDEV_READER_REMOVED,
    KS_CARDEV_CARD_INSERTED,
    KS_CARDEV_CARD_REMOVED,
    KS_CARDEV_IDENTITY_READ,
    KS_CARDEV_CARD_ERROR,
    KS_CARDEV_SERVICE_DOWN, /* pcscd cannot be reached (absent, stopped, refused) */
    KS_CARDEV_NO_READER,    /* pcscd answers but no (matching) reader is connected */
} ks_cardev_kind_t;

typedef struct {
    ks_cardev_kind_t kind;
    char reader[128];       /* the reader concerned, "" for service events */
    int readers;            /* usable readers after this event */
    ks_card_result_t error; /* CARD_ERROR: why */
    ks_identity_t identity; /* IDENTITY_READ: the holder; the receiver wipes it */
    int apdus;              /* IDENTITY_READ / CARD_ERROR: APDUs the read took */
    unsigned long read_ms;  /* IDENTITY_READ: insert-to-identity time */
} ks_cardev_t;

/*
 * Receives one heap-allocated event; the receiver owns it and must wipe and
 * free it (ks_cardev_free). Called on the monitor thread.
 */
typedef void (*ks_cardev_post_fn)(ks_cardev_t *ev, void *ud);

/* Wipes the identity in an event and frees it. NULL is allowed. */
void ks_cardev_free(ks_cardev_t *ev);

const char *ks_cardev_kind_str(ks_cardev_kind_t k);

typedef struct ks_pcsc_monitor ks_pcsc_monitor_t;

/*
 * Starts the monitor thread. reader_pattern: only readers whose name contains
 * it are used (NULL or "" = any). Returns NULL when the thread cannot start.
 */
ks_pcsc_monitor_t *ks_pcsc_monitor_start(const char *reader_pattern, ks_cardev_post_fn post,
                                         void *ud);

/* Stops the thread (interrupting any wait) and frees. NULL is allowed. */
void ks_pcsc_monitor_stop(ks_pcsc_monitor_t *m);

#endif
