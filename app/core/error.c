/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "error.h"

const char *ks_strerror(int code)
{
    switch (code) {
    case KS_OK:
        return "success";
    case KS_E_INVAL:
        return "invalid argument or input";
    case KS_E_NOMEM:
        return "out of memory";
    case KS_E_IO:
        return "input/output error";
    case KS_E_PARSE:
        return "parse error";
    case KS_E_RANGE:
        return "value out of range";
    case KS_E_NOTFOUND:
        return "not found";
    case KS_E_TOOBIG:
        return "too large";
    case KS_E_STATE:
        return "not allowed in this state";
    default:
        return "unknown error";
    }
}
