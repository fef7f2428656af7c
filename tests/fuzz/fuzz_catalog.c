/* SPDX-License-Identifier: GPL-3.0-or-later */
/* libFuzzer target: string catalogues (assets/strings/<lang>.ini) and placeholder formatting. */
#include "catalog.h"
#include "fuzz_common.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char path[64], err[512], out[256];
    int fd = ks_fuzz_memfile(data, size, path, sizeof path);
    if (fd < 0)
        return 0;
    ks_catalog_t *cat = ks_catalog_load(path, NULL, err, sizeof err);
    if (cat) {
        for (size_t i = 0; i < ks_catalog_count(cat); i++) {
            const char *v = ks_catalog_get(cat, ks_catalog_key_at(cat, i));
            ks_catalog_format(out, sizeof out, v, "name", "张三", "sec", "30", (const char *)NULL);
        }
        ks_catalog_free(cat);
    }
    close(fd);
    return 0;
}
