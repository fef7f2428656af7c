/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Storage: one SQLite file in WAL mode with synchronous=FULL, so a committed
 * booking and its idempotency record survive a crash or a restart. Callers
 * hold sim_t.db_lock around every use.
 */
#include "sim.h"

#include "log.h"

#include <stdio.h>
#include <string.h>

static const char SCHEMA[] =
    "CREATE TABLE IF NOT EXISTS meta(key TEXT PRIMARY KEY, value TEXT NOT NULL);"
    "CREATE TABLE IF NOT EXISTS citizens(id_number TEXT PRIMARY KEY, name TEXT NOT NULL);"
    "CREATE TABLE IF NOT EXISTS programmes(id INTEGER PRIMARY KEY, id_number TEXT NOT NULL,"
    " code TEXT NOT NULL, name TEXT NOT NULL, status TEXT NOT NULL, monthly_amount_fen INTEGER,"
    " since TEXT, next_review TEXT, gradual_exit_until TEXT, office TEXT NOT NULL);"
    "CREATE INDEX IF NOT EXISTS programmes_citizen ON programmes(id_number);"
    "CREATE TABLE IF NOT EXISTS payments(programme_id INTEGER NOT NULL, month TEXT NOT NULL,"
    " amount_fen INTEGER NOT NULL, paid_on TEXT NOT NULL);"
    "CREATE INDEX IF NOT EXISTS payments_programme ON payments(programme_id);"
    "CREATE TABLE IF NOT EXISTS policies(id INTEGER PRIMARY KEY CHECK (id = 1), body TEXT NOT "
    "NULL);"
    "CREATE TABLE IF NOT EXISTS offices(code TEXT PRIMARY KEY, name TEXT NOT NULL,"
    " address TEXT NOT NULL, hours TEXT NOT NULL, counters INTEGER NOT NULL DEFAULT 2,"
    " capacity INTEGER NOT NULL DEFAULT 4, sort INTEGER NOT NULL DEFAULT 0);"
    "CREATE TABLE IF NOT EXISTS slot_times(hhmm INTEGER PRIMARY KEY, minutes INTEGER NOT NULL);"
    "CREATE TABLE IF NOT EXISTS holidays(day TEXT PRIMARY KEY, name TEXT NOT NULL);"
    "CREATE TABLE IF NOT EXISTS tokens(token TEXT PRIMARY KEY, id_number TEXT NOT NULL,"
    " issued_at INTEGER NOT NULL);"
    "CREATE TABLE IF NOT EXISTS nonces(kiosk TEXT NOT NULL, nonce TEXT NOT NULL,"
    " seen_at INTEGER NOT NULL, PRIMARY KEY(kiosk, nonce));"
    "CREATE INDEX IF NOT EXISTS nonces_seen ON nonces(seen_at);"
    "CREATE TABLE IF NOT EXISTS idempotency(kiosk TEXT NOT NULL, key TEXT NOT NULL,"
    " body_sha256 TEXT NOT NULL, status INTEGER NOT NULL, response TEXT NOT NULL,"
    " created_at INTEGER NOT NULL, PRIMARY KEY(kiosk, key));"
    "CREATE TABLE IF NOT EXISTS bookings(number TEXT PRIMARY KEY, type TEXT NOT NULL,"
    " office TEXT NOT NULL, slot TEXT NOT NULL, day INTEGER NOT NULL, start_min INTEGER NOT NULL,"
    " end_min INTEGER NOT NULL, status TEXT NOT NULL, created_at INTEGER NOT NULL,"
    " seq INTEGER NOT NULL, kiosk TEXT, ticket TEXT, ticket_seq INTEGER, checked_in_at INTEGER);"
    "CREATE INDEX IF NOT EXISTS bookings_slot ON bookings(slot, status);"
    "CREATE TABLE IF NOT EXISTS parties(number TEXT NOT NULL, id_number TEXT NOT NULL,"
    " phone TEXT NOT NULL, PRIMARY KEY(number, id_number));"
    "CREATE INDEX IF NOT EXISTS parties_citizen ON parties(id_number);"
    "CREATE TABLE IF NOT EXISTS heartbeats(kiosk TEXT PRIMARY KEY, at INTEGER NOT NULL,"
    " version TEXT NOT NULL, mode TEXT NOT NULL);";

int sim_db_exec(sim_t *s, const char *sql)
{
    char *err = NULL;
    if (sqlite3_exec(s->db, sql, NULL, NULL, &err) != SQLITE_OK) {
        ks_log(KS_LOG_ERROR, "db", "%.60s...: %s", sql, err ? err : sqlite3_errmsg(s->db));
        sqlite3_free(err);
        return -1;
    }
    return 0;
}

sqlite3_stmt *sim_db_prepare(sim_t *s, const char *sql)
{
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v2(s->db, sql, -1, &st, NULL) != SQLITE_OK) {
        ks_log(KS_LOG_ERROR, "db", "prepare %.60s...: %s", sql, sqlite3_errmsg(s->db));
        sqlite3_finalize(st);
        return NULL;
    }
    return st;
}

long long sim_db_int(sim_t *s, long long dflt, const char *sql, const char *a, const char *b)
{
    sqlite3_stmt *st = sim_db_prepare(s, sql);
    if (!st)
        return dflt;
    long long v = dflt;
    if ((a && sqlite3_bind_text(st, 1, a, -1, SQLITE_TRANSIENT) != SQLITE_OK) ||
        (b && sqlite3_bind_text(st, 2, b, -1, SQLITE_TRANSIENT) != SQLITE_OK)) {
        sqlite3_finalize(st);
        return dflt;
    }
    if (sqlite3_step(st) == SQLITE_ROW && sqlite3_column_type(st, 0) != SQLITE_NULL)
        v = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    return v;
}

int sim_db_open(sim_t *s, const char *path)
{
    int rc = sqlite3_open_v2(
        path, &s->db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_FULLMUTEX, NULL);
    if (rc != SQLITE_OK) {
        ks_log(KS_LOG_ERROR, "db", "%s: %s", path, s->db ? sqlite3_errmsg(s->db) : "no memory");
        sqlite3_close(s->db);
        s->db = NULL;
        return -1;
    }
    if (sqlite3_busy_timeout(s->db, 5000) != SQLITE_OK ||
        sim_db_exec(s, "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL;"
                       "PRAGMA foreign_keys=ON;") < 0 ||
        sim_db_exec(s, SCHEMA) < 0) {
        sim_db_close(s);
        return -1;
    }
    return 0;
}

int sim_db_load_demo(sim_t *s)
{
    long long n = sim_db_int(s, -1, "SELECT count(*) FROM citizens", NULL, NULL);
    if (n < 0)
        return -1;
    if (n > 0)
        return 0; /* keep what a previous run stored */
    if (sim_db_exec(s, "BEGIN IMMEDIATE") < 0)
        return -1;
    if (sim_db_exec(s, (const char *)sim_demo_sql) < 0 || sim_api_demo_bookings(s) < 0) {
        sim_db_exec(s, "ROLLBACK");
        return -1;
    }
    return sim_db_exec(s, "COMMIT");
}

void sim_db_close(sim_t *s)
{
    if (s->db && sqlite3_close(s->db) != SQLITE_OK)
        ks_log(KS_LOG_ERROR, "db", "close: %s", sqlite3_errmsg(s->db));
    s->db = NULL;
}

int sim_db_nonce(sim_t *s, const char *kiosk, const char *nonce, long long now)
{
    /* Forget nonces older than the window now and then (cheap: indexed). */
    static const char purge[] = "DELETE FROM nonces WHERE seen_at < ?1";
    sqlite3_stmt *st = sim_db_prepare(s, purge);
    if (!st)
        return -1;
    sqlite3_bind_int64(st, 1, now - SIM_NONCE_TTL);
    int rc = sqlite3_step(st);
    sqlite3_finalize(st);
    if (rc != SQLITE_DONE)
        return -1;

    st = sim_db_prepare(s, "INSERT OR IGNORE INTO nonces(kiosk, nonce, seen_at) VALUES(?1,?2,?3)");
    if (!st)
        return -1;
    if (sqlite3_bind_text(st, 1, kiosk, -1, SQLITE_TRANSIENT) != SQLITE_OK ||
        sqlite3_bind_text(st, 2, nonce, -1, SQLITE_TRANSIENT) != SQLITE_OK ||
        sqlite3_bind_int64(st, 3, now) != SQLITE_OK) {
        sqlite3_finalize(st);
        return -1;
    }
    rc = sqlite3_step(st);
    sqlite3_finalize(st);
    if (rc != SQLITE_DONE) {
        ks_log(KS_LOG_ERROR, "db", "nonce: %s", sqlite3_errmsg(s->db));
        return -1;
    }
    return sqlite3_changes(s->db) == 1 ? 1 : 0;
}
