/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Logging (see log.h). On stderr each line is formatted in full first and
 * then written with a single write() under a mutex, so lines from different
 * threads never interleave. journald gets structured fields instead of a
 * prefix.
 */
#include "log.h"

#include "error.h"
#include "utf8.h"

/* Otherwise every entry carries CODE_FILE=log.c, which says nothing. */
#define SD_JOURNAL_SUPPRESS_LOCATION 1
#include <systemd/sd-journal.h>

#include <errno.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#define LOG_LINE_MAX 2048

/* Atomic because worker threads log while the UI thread may still be starting. */
static atomic_int log_target = 0;
static atomic_int log_level = KS_LOG_INFO;
static pthread_mutex_t log_lock = PTHREAD_MUTEX_INITIALIZER;

/* sd_journal_send() reports success when there is no journal, so check for one first. */
#define JOURNAL_SOCKET "/run/systemd/journal/socket"

void ks_log_init(int target, int level)
{
    /* Without a journal (a container, a developer's shell) messages would vanish. */
    int journald = target == 1 && access(JOURNAL_SOCKET, W_OK) == 0;
    atomic_store(&log_target, journald ? 1 : 0);
    atomic_store(&log_level, level);
}

static const char *level_name(int level)
{
    if (level <= KS_LOG_ERROR)
        return "error";
    if (level == KS_LOG_WARN)
        return "warn";
    if (level == 5)
        return "notice";
    if (level == KS_LOG_INFO)
        return "info";
    return "debug";
}

static void write_all(int fd, const char *buf, size_t len)
{
    while (len > 0) {
        ssize_t n = write(fd, buf, len);
        if (n < 0) {
            if (errno == EINTR)
                continue;
            return; /* nowhere left to report a failing stderr */
        }
        buf += n;
        len -= (size_t)n;
    }
}

static void log_to_stderr(int level, const char *module, const char *msg)
{
    char line[LOG_LINE_MAX];
    int n;
    if (module != NULL && module[0] != '\0')
        n = snprintf(line, sizeof line, "civic-kiosk[%s] %s: %s", level_name(level), module, msg);
    else
        n = snprintf(line, sizeof line, "civic-kiosk[%s] %s", level_name(level), msg);
    if (n < 0)
        return;
    size_t len = (size_t)n < sizeof line - 1 ? (size_t)n : sizeof line - 2;
    line[len++] = '\n';

    pthread_mutex_lock(&log_lock);
    write_all(STDERR_FILENO, line, len);
    pthread_mutex_unlock(&log_lock);
}

void ks_log(int level, const char *module, const char *fmt, ...)
{
    if (level > atomic_load(&log_level))
        return;

    char msg[LOG_LINE_MAX];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    if (n < 0)
        return;
    if ((size_t)n >= sizeof msg) {
        /* Mark the cut; a UTF-8 character split by it shows as one bad glyph at most. */
        memcpy(msg + sizeof msg - 4, "...", 4);
    }

    if (atomic_load(&log_target) == 1) {
        int rc =
            sd_journal_send("MESSAGE=%s", msg, "PRIORITY=%d", level, "MODULE=%s",
                            module != NULL ? module : "", "SYSLOG_IDENTIFIER=civic-kiosk", NULL);
        if (rc >= 0)
            return;
        /* The journal went away or refused the entry: keep the message anyway. */
    }
    log_to_stderr(level, module, msg);
}

int ks_mask_name(const char *name, char *out, size_t outlen)
{
    if (out == NULL || outlen == 0)
        return KS_E_TOOBIG;
    out[0] = '\0';
    if (name == NULL || name[0] == '\0')
        return KS_OK;

    size_t len = strlen(name);
    uint32_t cp = 0;
    size_t first = ks_utf8_decode(name, len, &cp);
    /* A malformed first byte is not copied: the log must stay valid UTF-8. */
    int valid = !(cp == 0xFFFD && first == 1);
    size_t stars = 0;
    for (size_t i = first; i < len; stars++)
        i += ks_utf8_decode(name + i, len - i, &cp);
    if (first + stars + 1 > outlen)
        return KS_E_TOOBIG;

    if (valid)
        memcpy(out, name, first);
    else
        out[0] = '*';
    memset(out + first, '*', stars);
    out[first + stars] = '\0';
    return KS_OK;
}

int ks_mask_phone(const char *phone, char *out, size_t outlen)
{
    if (out == NULL || outlen == 0)
        return KS_E_TOOBIG;
    out[0] = '\0';

    int ok = phone != NULL && strlen(phone) == 11;
    for (size_t i = 0; ok && i < 11; i++) {
        if (phone[i] < '0' || phone[i] > '9')
            ok = 0;
    }
    if (!ok) {
        if (outlen < 4)
            return KS_E_TOOBIG;
        memcpy(out, "***", 4);
        return KS_OK;
    }
    if (outlen < 12)
        return KS_E_TOOBIG;
    memcpy(out, phone, 3);
    memcpy(out + 3, "****", 4);
    memcpy(out + 7, phone + 7, 4);
    out[11] = '\0';
    return KS_OK;
}
