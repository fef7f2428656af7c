/* SPDX-License-Identifier: GPL-3.0-or-later */
/* libFuzzer target: theme files (assets/theme/<name>.ini) and the contrast check. */
#include "error.h"
#include "fuzz_common.h"
#include "theme.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char path[64], err[512];
    ks_theme_t t;
    int fd = ks_fuzz_memfile(data, size, path, sizeof path);
    if (fd < 0)
        return 0;
    if (ks_theme_load(&t, path, err, sizeof err) == KS_OK)
        ks_theme_check_contrast(&t, err, sizeof err);
    close(fd);
    return 0;
}
