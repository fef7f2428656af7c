/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Unit tests for app/core/log.c: PII masking and the stderr line format. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "error.h"
#include "log.h"

static void expect_name(const char *name, const char *masked)
{
    char out[64];
    memset(out, 'Z', sizeof out);
    assert_int_equal(ks_mask_name(name, out, sizeof out), KS_OK);
    assert_string_equal(out, masked);
}

static void test_mask_chinese_names(void **state)
{
    (void)state;
    expect_name("张", "张");
    expect_name("张三", "张*");
    expect_name("李小龙", "李**");
    expect_name("欧阳娜娜", "欧***");
    /* The middle dot of transliterated names is one more code point to hide. */
    expect_name("买买提·艾力", "买*****");
    expect_name("阿依古丽·买买提", "阿*******");
    /* A supplementary-plane ideograph (4 bytes) is kept whole. */
    expect_name("\xF0\xA0\x80\x80三", "\xF0\xA0\x80\x80*");
}

static void test_mask_ascii_and_empty(void **state)
{
    (void)state;
    expect_name("Li Lei", "L*****");
    expect_name("A", "A");
    expect_name("", "");
    expect_name(NULL, "");
}

/* Broken UTF-8 never reaches the log: a bad first byte becomes '*', each bad byte one '*'. */
static void test_mask_malformed_utf8(void **state)
{
    (void)state;
    expect_name("\xFF\xFE"
                "ab",
                "****");
    expect_name("\xE5\xBC", "**"); /* "张" cut after two bytes */
    expect_name("张\xE4", "张*");  /* a truncated second character */
}

static void test_mask_name_short_buffer(void **state)
{
    (void)state;
    char out[8];
    /* "张*" needs 3 + 1 + 1 bytes. */
    assert_int_equal(ks_mask_name("张三", out, 5), KS_OK);
    assert_string_equal(out, "张*");
    memset(out, 'Z', sizeof out);
    assert_int_equal(ks_mask_name("张三", out, 4), KS_E_TOOBIG);
    assert_string_equal(out, "");
    assert_int_equal(ks_mask_name("欧阳娜娜", out, 6), KS_E_TOOBIG);
    assert_string_equal(out, "");
    assert_int_equal(ks_mask_name("欧阳娜娜", out, 7), KS_OK);
    assert_string_equal(out, "欧***");
    assert_int_equal(ks_mask_name("Li Lei", out, 6), KS_E_TOOBIG);
    assert_int_equal(ks_mask_name("Li Lei", out, 7), KS_OK);
    assert_string_equal(out, "L*****");
    assert_int_equal(ks_mask_name("", out, 1), KS_OK);
    assert_string_equal(out, "");
    assert_int_equal(ks_mask_name("张三", out, 0), KS_E_TOOBIG);
    assert_int_equal(ks_mask_name("张三", NULL, 0), KS_E_TOOBIG);
}

static void expect_phone(const char *phone, const char *masked)
{
    char out[32];
    memset(out, 'Z', sizeof out);
    assert_int_equal(ks_mask_phone(phone, out, sizeof out), KS_OK);
    assert_string_equal(out, masked);
}

static void test_mask_phone(void **state)
{
    (void)state;
    expect_phone("13812345678", "138****5678");
    expect_phone("19900000001", "199****0001");
    expect_phone("1381234567", "***");
    expect_phone("138123456789", "***");
    expect_phone("1381234567a", "***");
    expect_phone("+8613812345678", "***");
    expect_phone("138 1234 5678", "***");
    expect_phone("138-1234-5678", "***");
    expect_phone("１３８１２３４５６７８", "***"); /* full-width digits */
    expect_phone("", "***");
    expect_phone(NULL, "***");
}

static void test_mask_phone_short_buffer(void **state)
{
    (void)state;
    char out[16];
    assert_int_equal(ks_mask_phone("13812345678", out, 12), KS_OK);
    assert_string_equal(out, "138****5678");
    memset(out, 'Z', sizeof out);
    assert_int_equal(ks_mask_phone("13812345678", out, 11), KS_E_TOOBIG);
    assert_string_equal(out, "");
    assert_int_equal(ks_mask_phone("123", out, 4), KS_OK);
    assert_string_equal(out, "***");
    assert_int_equal(ks_mask_phone("123", out, 3), KS_E_TOOBIG);
    assert_string_equal(out, "");
    assert_int_equal(ks_mask_phone("123", NULL, 0), KS_E_TOOBIG);
}

/* Captures what ks_log writes to fd 2 between capture_start and capture_end. */
typedef struct {
    char path[256];
    int saved_fd;
} capture_t;

static void capture_start(capture_t *c)
{
    const char *dir = getenv("TMPDIR");
    if (dir == NULL || dir[0] == '\0')
        dir = "/tmp";
    snprintf(c->path, sizeof c->path, "%s/ks-log-XXXXXX", dir);
    int fd = mkstemp(c->path);
    assert_true(fd >= 0);
    fflush(stderr);
    c->saved_fd = dup(STDERR_FILENO);
    assert_true(c->saved_fd >= 0);
    assert_int_equal(dup2(fd, STDERR_FILENO), STDERR_FILENO);
    close(fd);
}

/* Restores stderr and returns what was written (caller frees). */
static char *capture_end(capture_t *c)
{
    fflush(stderr);
    assert_int_equal(dup2(c->saved_fd, STDERR_FILENO), STDERR_FILENO);
    close(c->saved_fd);
    FILE *fp = fopen(c->path, "rb");
    assert_non_null(fp);
    fseek(fp, 0, SEEK_END);
    long size = ftell(fp);
    assert_true(size >= 0);
    rewind(fp);
    char *buf = malloc((size_t)size + 1);
    assert_non_null(buf);
    assert_int_equal(fread(buf, 1, (size_t)size, fp), (size_t)size);
    buf[size] = '\0';
    fclose(fp);
    unlink(c->path);
    return buf;
}

static void test_log_stderr_format(void **state)
{
    (void)state;
    capture_t c;
    ks_log_init(0, KS_LOG_INFO);
    capture_start(&c);
    ks_log(KS_LOG_INFO, "config", "loaded %d keys from %s", 19, "kiosk.ini");
    ks_log(KS_LOG_DEBUG, "config", "dropped: below the level");
    ks_log(KS_LOG_ERROR, "pcsc", "reader %s gone", "ACS ACR39U");
    ks_log(KS_LOG_WARN, "printer", "paper low");
    char *out = capture_end(&c);
    assert_string_equal(out, "civic-kiosk[info] config: loaded 19 keys from kiosk.ini\n"
                             "civic-kiosk[error] pcsc: reader ACS ACR39U gone\n"
                             "civic-kiosk[warn] printer: paper low\n");
    free(out);

    ks_log_init(0, KS_LOG_DEBUG);
    capture_start(&c);
    ks_log(KS_LOG_DEBUG, "ui", "frame %d", 7);
    out = capture_end(&c);
    assert_string_equal(out, "civic-kiosk[debug] ui: frame 7\n");
    free(out);

    ks_log_init(0, KS_LOG_ERROR);
    capture_start(&c);
    ks_log(KS_LOG_WARN, "ui", "not shown");
    out = capture_end(&c);
    assert_string_equal(out, "");
    free(out);
    ks_log_init(0, KS_LOG_INFO);
}

static void test_log_masked_name(void **state)
{
    (void)state;
    char masked[64];
    assert_int_equal(ks_mask_name("欧阳娜娜", masked, sizeof masked), KS_OK);
    capture_t c;
    ks_log_init(0, KS_LOG_INFO);
    capture_start(&c);
    ks_log(KS_LOG_INFO, "session", "citizen %s identified", masked);
    char *out = capture_end(&c);
    assert_string_equal(out, "civic-kiosk[info] session: citizen 欧*** identified\n");
    free(out);
}

/* A message longer than the line buffer is cut but still ends the line. */
static void test_log_long_message(void **state)
{
    (void)state;
    char *big = malloc(5000);
    assert_non_null(big);
    memset(big, 'x', 4999);
    big[4999] = '\0';
    capture_t c;
    ks_log_init(0, KS_LOG_INFO);
    capture_start(&c);
    ks_log(KS_LOG_INFO, "big", "%s", big);
    ks_log(KS_LOG_INFO, "big", "after");
    char *out = capture_end(&c);
    char *nl = strchr(out, '\n');
    assert_non_null(nl);
    assert_true(nl - out < 4096);
    assert_memory_equal(out, "civic-kiosk[info] big: xxx", 26);
    assert_string_equal(nl + 1, "civic-kiosk[info] big: after\n");
    free(out);
    free(big);
}

#define THREADS          8
#define LINES_PER_THREAD 200

static void *log_worker(void *arg)
{
    int id = (int)(intptr_t)arg;
    for (int i = 0; i < LINES_PER_THREAD; i++)
        ks_log(KS_LOG_INFO, "worker", "thread %d line %d %s", id, i,
               "padding-padding-padding-padding-padding-padding-padding");
    return NULL;
}

/* Lines from concurrent threads never interleave: every line is whole. */
static void test_log_threads(void **state)
{
    (void)state;
    capture_t c;
    ks_log_init(0, KS_LOG_INFO);
    capture_start(&c);
    pthread_t th[THREADS];
    for (int i = 0; i < THREADS; i++)
        assert_int_equal(pthread_create(&th[i], NULL, log_worker, (void *)(intptr_t)i), 0);
    for (int i = 0; i < THREADS; i++)
        pthread_join(th[i], NULL);
    char *out = capture_end(&c);

    int lines = 0;
    char *save = NULL;
    for (char *line = strtok_r(out, "\n", &save); line != NULL;
         line = strtok_r(NULL, "\n", &save)) {
        int id = -1, n = -1, used = 0;
        int matched =
            sscanf(line, "civic-kiosk[info] worker: thread %d line %d %n", &id, &n, &used);
        assert_int_equal(matched, 2);
        assert_string_equal(line + used, "padding-padding-padding-padding-padding-padding-padding");
        lines++;
    }
    assert_int_equal(lines, THREADS * LINES_PER_THREAD);
    free(out);
}

/*
 * The journald target: where no journal socket exists (containers, CI) the
 * message must not be lost, so it falls back to stderr.
 */
static void test_log_journald_fallback(void **state)
{
    (void)state;
    if (access("/run/systemd/journal/socket", W_OK) == 0)
        skip();
    capture_t c;
    ks_log_init(1, KS_LOG_INFO);
    capture_start(&c);
    ks_log(KS_LOG_WARN, "backend", "offline");
    char *out = capture_end(&c);
    ks_log_init(0, KS_LOG_INFO);
    assert_string_equal(out, "civic-kiosk[warn] backend: offline\n");
    free(out);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_mask_chinese_names),
        cmocka_unit_test(test_mask_ascii_and_empty),
        cmocka_unit_test(test_mask_malformed_utf8),
        cmocka_unit_test(test_mask_name_short_buffer),
        cmocka_unit_test(test_mask_phone),
        cmocka_unit_test(test_mask_phone_short_buffer),
        cmocka_unit_test(test_log_stderr_format),
        cmocka_unit_test(test_log_masked_name),
        cmocka_unit_test(test_log_long_message),
        cmocka_unit_test(test_log_threads),
        cmocka_unit_test(test_log_journald_fallback),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
