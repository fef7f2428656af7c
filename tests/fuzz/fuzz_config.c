/* SPDX-License-Identifier: GPL-3.0-or-later */
/* libFuzzer target: the kiosk configuration file. */
#include "config.h"
#include "error.h"
#include "fuzz_common.h"

#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char path[64], err[512];
    ks_config_t cfg;
    int fd = ks_fuzz_memfile(data, size, path, sizeof path);
    if (fd < 0)
        return 0;
    ks_config_defaults(&cfg);
    int rc = ks_config_load(&cfg, path, err, sizeof err);
    /* Accepted values stay within their documented ranges. */
    if (rc == KS_OK &&
        (cfg.idle_timeout_s < 10 || cfg.countdown_s < 20 ||
         (cfg.rotate != 0 && cfg.rotate != 90 && cfg.rotate != 180 && cfg.rotate != 270)))
        __builtin_trap();
    if (rc != KS_OK && strnlen(err, sizeof err) == 0)
        __builtin_trap(); /* an error always says why */
    close(fd);
    return 0;
}
