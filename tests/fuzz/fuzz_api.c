/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * libFuzzer target: the parsers of the district backend's answers (every
 * call's body and the error body). Byte 0 picks the call; the rest is the body.
 * A parse that succeeds must leave values the UI can rely on.
 */
#include "api.h"
#include "fuzz_common.h"

#include <stdlib.h>
#include <string.h>

static void check_success(ks_call_t call, const void *out)
{
    if (call == KS_CALL_LOOKUP) {
        const ks_api_lookup_t *l = out;
        if (!ks_api_token_valid(l->citizen) || (l->sex != 'M' && l->sex != 'F'))
            __builtin_trap();
    } else if (call == KS_CALL_SLOTS) {
        const ks_api_slots_t *s = out;
        for (int i = 0; i < s->n; i++)
            if (s->slots[i].remaining < 0 || s->slots[i].remaining > s->slots[i].capacity)
                __builtin_trap();
    } else if (call == KS_CALL_ASSISTANCE) {
        const ks_api_assistance_t *a = out;
        if (a->n < 0 || a->n > KS_API_MAX_PROGRAMMES)
            __builtin_trap();
        for (int i = 0; i < a->n; i++)
            if (a->programmes[i].n_payments > KS_API_MAX_PAYMENTS)
                __builtin_trap();
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1)
        return 0;
    ks_call_t call = (ks_call_t)(data[0] % KS_CALL_COUNT);
    /* An exact-size copy, not NUL-terminated: the parser must respect the length. */
    char *body = malloc(size - 1 ? size - 1 : 1);
    if (!body)
        return 0;
    memcpy(body, data + 1, size - 1);
    void *out = malloc(ks_api_answer_size(call));
    char err[200] = "";
    if (out && ks_api_parse(call, body, size - 1, out, err, sizeof err) == 0)
        check_success(call, out);
    else if (strlen(err) >= sizeof err)
        __builtin_trap();
    ks_api_error_t e;
    if (ks_api_parse_error(body, size - 1, &e) == 0 && e.code[0] == '\0')
        __builtin_trap();
    free(out);
    free(body);
    return 0;
}
