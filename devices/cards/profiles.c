/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The card profiles the kiosk knows (card.h). Another card kind is one more
 * entry here; the reader monitor and diagnostics take the list as it is.
 */
#include "card.h"
#include "ssc.h"

const ks_card_profile_t *const ks_card_profiles[] = {&ks_ssc_profile};
const size_t ks_card_profile_count = sizeof ks_card_profiles / sizeof ks_card_profiles[0];
