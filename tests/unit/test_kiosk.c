/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The kiosk state machine fed card events directly (on SDL's software
 * renderer, no window): what each event from the reader monitor does to the
 * screen and the session. The same events come from a real pcscd in the
 * pcsc journeys.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "config.h"
#include "kiosk.h"
#include "ui.h"

#include <SDL_ttf.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct {
    SDL_Surface *surface;
    SDL_Renderer *renderer;
    ks_config_t cfg;
    ks_ui_t *ui;
    ks_kiosk_t *k;
    uint64_t now;
} fixture_t;

static int setup(void **state)
{
    fixture_t *f = calloc(1, sizeof *f);
    char assets[1024], err[512] = "";
    const char *src = getenv("KS_SOURCE_DIR");
    if (!f || !src || TTF_Init() != 0)
        return -1;
    snprintf(assets, sizeof assets, "%s/assets", src);
    ks_config_defaults(&f->cfg);
    f->surface = SDL_CreateRGBSurfaceWithFormat(0, 1080, 1920, 32, SDL_PIXELFORMAT_ARGB8888);
    f->renderer = SDL_CreateSoftwareRenderer(f->surface);
    f->ui = ks_ui_new(f->renderer, 1080, 1920, &f->cfg, assets, err, sizeof err);
    f->now = 1000;
    f->k = f->ui ? ks_kiosk_new(&f->cfg, f->ui, assets, f->now, err, sizeof err) : NULL;
    if (!f->k) {
        fprintf(stderr, "setup: %s\n", err);
        return -1;
    }
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    fixture_t *f = *state;
    ks_kiosk_free(f->k);
    ks_ui_free(f->ui);
    SDL_DestroyRenderer(f->renderer);
    SDL_FreeSurface(f->surface);
    TTF_Quit();
    free(f);
    return 0;
}

static void event(fixture_t *f, ks_cardev_kind_t kind, const char *reader, int readers,
                  ks_card_result_t error)
{
    ks_cardev_t ev;
    memset(&ev, 0, sizeof ev);
    ev.kind = kind;
    snprintf(ev.reader, sizeof ev.reader, "%s", reader);
    ev.readers = readers;
    ev.error = error;
    if (kind == KS_CARDEV_IDENTITY_READ) {
        strcpy(ev.identity.name, "欧阳娜娜");
        strcpy(ev.identity.idnum, "11010519491231002X");
        ev.identity.sex = KS_SEX_FEMALE;
    }
    f->now += 100;
    ks_kiosk_card_event(f->k, &ev, f->now);
    ks_kiosk_render(f->k, f->now);
}

/* The widget tree as the harness would dump it. */
static cJSON *dump(fixture_t *f)
{
    cJSON *root = cJSON_CreateObject();
    ks_kiosk_dump(f->k, root);
    return root;
}

static const char *str(cJSON *root, const char *key)
{
    cJSON *v = cJSON_GetObjectItem(root, key);
    return cJSON_IsString(v) ? v->valuestring : "";
}

static int has_widget(cJSON *root, const char *id)
{
    cJSON *w;
    cJSON_ArrayForEach(w, cJSON_GetObjectItem(root, "widgets"))
    {
        if (strcmp(cJSON_GetObjectItem(w, "id")->valuestring, id) == 0)
            return 1;
    }
    return 0;
}

static void test_reader_status_on_idle(void **state)
{
    fixture_t *f = *state;
    cJSON *d = dump(f);
    assert_string_equal(str(d, "readers"), "unknown");
    assert_false(has_widget(d, "idle-no-reader"));
    cJSON_Delete(d);

    event(f, KS_CARDEV_SERVICE_DOWN, "", 0, KS_CARD_IO_ERROR);
    d = dump(f);
    assert_string_equal(str(d, "readers"), "none");
    assert_true(has_widget(d, "idle-no-reader"));
    cJSON_Delete(d);

    event(f, KS_CARDEV_READER_ADDED, "Virtual PCD 00 00", 1, KS_CARD_OK);
    d = dump(f);
    assert_string_equal(str(d, "readers"), "ok");
    assert_false(has_widget(d, "idle-no-reader"));
    cJSON_Delete(d);

    event(f, KS_CARDEV_READER_REMOVED, "Virtual PCD 00 00", 0, KS_CARD_OK);
    d = dump(f);
    assert_string_equal(str(d, "readers"), "none");
    cJSON_Delete(d);
}

static void test_insert_read_remove(void **state)
{
    fixture_t *f = *state;
    event(f, KS_CARDEV_READER_ADDED, "R1", 2, KS_CARD_OK);
    event(f, KS_CARDEV_CARD_INSERTED, "R1", 2, KS_CARD_OK);
    cJSON *d = dump(f);
    assert_true(has_widget(d, "idle-reading"));
    cJSON_Delete(d);

    event(f, KS_CARDEV_IDENTITY_READ, "R1", 2, KS_CARD_OK);
    assert_string_equal(ks_kiosk_screen(f->k), "menu");

    /* A card leaving another reader does not end this citizen's session. */
    event(f, KS_CARDEV_CARD_REMOVED, "R2", 2, KS_CARD_OK);
    assert_string_equal(ks_kiosk_screen(f->k), "menu");

    event(f, KS_CARDEV_CARD_REMOVED, "R1", 2, KS_CARD_OK);
    assert_string_equal(ks_kiosk_screen(f->k), "idle");
    d = dump(f);
    assert_true(cJSON_IsNull(cJSON_GetObjectItem(d, "session")));
    assert_false(has_widget(d, "idle-reading"));
    cJSON_Delete(d);
}

static void test_errors_give_plain_messages(void **state)
{
    fixture_t *f = *state;
    const struct {
        ks_card_result_t why;
        const char *title;
    } cases[] = {
        {KS_CARD_NOT_RECOGNISED, "无法识别此卡"},
        {KS_CARD_BAD_DATA, "卡片信息有误"},
        {KS_CARD_REMOVED, "读卡没有完成"},
        {KS_CARD_IO_ERROR, "无法识别此卡"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        event(f, KS_CARDEV_CARD_INSERTED, "R1", 1, KS_CARD_OK);
        event(f, KS_CARDEV_CARD_ERROR, "R1", 1, cases[i].why);
        assert_string_equal(ks_kiosk_screen(f->k), "message");
        cJSON *d = dump(f);
        cJSON *w;
        int found = 0;
        cJSON_ArrayForEach(w, cJSON_GetObjectItem(d, "widgets"))
        {
            cJSON *t = cJSON_GetObjectItem(w, "text");
            if (strcmp(cJSON_GetObjectItem(w, "id")->valuestring, "msg-title") == 0 && t)
                found = strcmp(t->valuestring, cases[i].title) == 0;
        }
        cJSON_Delete(d);
        assert_true(found);
        /* The kiosk stays ready: the next card is read from the message screen. */
        event(f, KS_CARDEV_CARD_REMOVED, "R1", 1, KS_CARD_OK);
        event(f, KS_CARDEV_CARD_INSERTED, "R1", 1, KS_CARD_OK);
        assert_string_equal(ks_kiosk_screen(f->k), "idle");
        event(f, KS_CARDEV_CARD_REMOVED, "R1", 1, KS_CARD_OK);
    }
}

static void test_bad_id_number_from_card(void **state)
{
    fixture_t *f = *state;
    ks_cardev_t ev;
    memset(&ev, 0, sizeof ev);
    ev.kind = KS_CARDEV_IDENTITY_READ;
    strcpy(ev.reader, "R1");
    strcpy(ev.identity.name, "李四");
    strcpy(ev.identity.idnum, "110105194912310021"); /* wrong check character */
    ks_kiosk_card_event(f->k, &ev, f->now += 100);
    assert_string_equal(ks_kiosk_screen(f->k), "message");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_reader_status_on_idle, setup, teardown),
        cmocka_unit_test_setup_teardown(test_insert_read_remove, setup, teardown),
        cmocka_unit_test_setup_teardown(test_errors_give_plain_messages, setup, teardown),
        cmocka_unit_test_setup_teardown(test_bad_id_number_from_card, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
