/* SPDX-License-Identifier: GPL-3.0-or-later */
/* libFuzzer target: ID number validation and masking (the number comes from cards). */
#include "fuzz_common.h"
#include "idnum.h"

#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char id[64], masked[32];
    if (size >= sizeof id)
        size = sizeof id - 1;
    memcpy(id, data, size);
    id[size] = '\0';
    ks_idnum_info_t info;
    if (ks_idnum_validate(id, 20261129, &info) == KS_IDNUM_OK) {
        if (info.month < 1 || info.month > 12 || info.day < 1 || info.day > 31)
            __builtin_trap();
    }
    ks_idnum_mask(id, masked, sizeof masked);
    /* The mask never reveals the birth date digits. */
    if (strlen(id) == 18 && strlen(masked) == 18 && memcmp(masked + 6, "********", 8) != 0)
        __builtin_trap();
    return 0;
}
