/* SPDX-License-Identifier: GPL-3.0-or-later */
/* libFuzzer target: the UI harness's script parser. */
#include "fuzz_common.h"
#include "script.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char err[256];
    ks_script_t *s = ks_script_parse((const char *)data, size, "fuzz", err, sizeof err);
    if (s) {
        /* Every parsed command must be complete. */
        for (size_t i = 0; i < ks_script_count(s); i++) {
            const ks_cmd_t *c = ks_script_at(s, i);
            if (c->line <= 0)
                __builtin_trap();
        }
    }
    ks_script_free(s);
    return 0;
}
