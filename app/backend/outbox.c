/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "outbox.h"

#include "api.h"
#include "error.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

struct ks_outbox {
    int dirfd;
    uint8_t secret[32];
};

ks_outbox_t *ks_outbox_open(const char *dir, const uint8_t secret[32], char *err, size_t errlen)
{
    if (mkdir(dir, 0700) != 0 && errno != EEXIST) {
        snprintf(err, errlen, "%s: %s", dir, strerror(errno));
        return NULL;
    }
    int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0) {
        snprintf(err, errlen, "%s: %s", dir, strerror(errno));
        return NULL;
    }
    ks_outbox_t *ob = calloc(1, sizeof *ob);
    if (!ob) {
        close(fd);
        snprintf(err, errlen, "out of memory");
        return NULL;
    }
    ob->dirfd = fd;
    memcpy(ob->secret, secret, sizeof ob->secret);
    return ob;
}

void ks_outbox_close(ks_outbox_t *ob)
{
    if (!ob)
        return;
    close(ob->dirfd);
    explicit_bzero(ob, sizeof *ob);
    free(ob);
}

static int write_all(int fd, const char *buf, size_t len)
{
    while (len > 0) {
        ssize_t n = write(fd, buf, len);
        if (n < 0) {
            if (errno == EINTR)
                continue;
            return KS_E_IO;
        }
        buf += n;
        len -= (size_t)n;
    }
    return KS_OK;
}

int ks_outbox_record(ks_outbox_t *ob, const char *key, const char *method, const char *path,
                     const void *body, size_t body_len)
{
    if (!ob || !ks_api_uuid_valid(key))
        return KS_E_INVAL;
    if (ks_outbox_has(ob, key))
        return KS_OK;

    uint8_t mac[EVP_MAX_MD_SIZE];
    unsigned int maclen = 0;
    if (!HMAC(EVP_sha256(), ob->secret, sizeof ob->secret, body_len ? body : (const void *)"",
              body_len, mac, &maclen))
        return KS_E_IO;
    char line[512];
    int n = snprintf(line, sizeof line, "%s %s %lld ", method, path, (long long)time(NULL));
    for (unsigned i = 0; i < maclen && (size_t)n + 3 < sizeof line; i++)
        n += snprintf(line + n, sizeof line - (size_t)n, "%02x", mac[i]);
    if ((size_t)n + 2 >= sizeof line)
        return KS_E_TOOBIG;
    line[n++] = '\n';

    /* Write under a temporary name, fsync, rename, fsync the directory. */
    char tmp[48];
    snprintf(tmp, sizeof tmp, ".%s.tmp", key);
    int fd = openat(ob->dirfd, tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    if (fd < 0)
        return KS_E_IO;
    int rc = write_all(fd, line, (size_t)n);
    if (rc == 0 && fsync(fd) != 0)
        rc = KS_E_IO;
    if (close(fd) != 0)
        rc = KS_E_IO;
    if (rc == 0 && renameat(ob->dirfd, tmp, ob->dirfd, key) != 0)
        rc = KS_E_IO;
    if (rc == 0 && fsync(ob->dirfd) != 0)
        rc = KS_E_IO;
    if (rc < 0)
        unlinkat(ob->dirfd, tmp, 0);
    return rc;
}

void ks_outbox_done(ks_outbox_t *ob, const char *key)
{
    if (ob && ks_api_uuid_valid(key) && unlinkat(ob->dirfd, key, 0) == 0)
        fsync(ob->dirfd);
}

int ks_outbox_has(ks_outbox_t *ob, const char *key)
{
    struct stat st;
    return ob && ks_api_uuid_valid(key) && fstatat(ob->dirfd, key, &st, 0) == 0;
}

/* Counts the records, or removes those older than max_age_s and counts them. */
static int each_record(ks_outbox_t *ob, long max_age_s, int remove)
{
    int fd2 = dup(ob->dirfd);
    if (fd2 < 0)
        return 0;
    DIR *d = fdopendir(fd2);
    if (!d) {
        close(fd2);
        return 0;
    }
    rewinddir(d);
    int count = 0;
    time_t now = time(NULL);
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        if (remove && e->d_name[0] == '.' && strstr(e->d_name, ".tmp")) {
            unlinkat(ob->dirfd, e->d_name, 0); /* a record cut short by a crash */
            continue;
        }
        if (!ks_api_uuid_valid(e->d_name))
            continue;
        struct stat st;
        if (fstatat(ob->dirfd, e->d_name, &st, 0) != 0)
            continue;
        if (remove) {
            if (now - st.st_mtime > max_age_s && unlinkat(ob->dirfd, e->d_name, 0) == 0)
                count++;
        } else {
            count++;
        }
    }
    closedir(d);
    return count;
}

int ks_outbox_pending(ks_outbox_t *ob)
{
    return ob ? each_record(ob, 0, 0) : 0;
}

int ks_outbox_purge(ks_outbox_t *ob, long max_age_s)
{
    return ob ? each_record(ob, max_age_s, 1) : 0;
}
