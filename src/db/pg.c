/*
 * pg.c - the PostgreSQL engine (libpq), with the same contract as sqlite.c.
 *
 * Design
 * - SQL is written once with `?` placeholders (db.h). prepare() rewrites them
 *   to $1..$n, leaving alone any `?` inside a quoted string ('...', E'...',
 *   $tag$...$tag$), a quoted identifier ("...") or a comment (--, nested
 *   slash-star). PostgreSQL's jsonb operators `?`, `?|`, `?&` can therefore not
 *   be written in our SQL; portable SQL has no use for them.
 * - Each statement is a server-side prepared statement named "dp<n>", n from a
 *   per-connection counter. Parameter types are left to the server to infer, so
 *   a `?` must appear where PostgreSQL can tell its type: `? IS NULL` alone is
 *   an error (42P18); write `CAST(? AS BIGINT) IS NULL` instead.
 * - Values travel as text in both directions. bind_int formats the int64 into
 *   a buffer inside the statement, bind_text copies the string.
 * - The first step() after a reset executes the statement and keeps the whole
 *   PGresult; later steps walk its rows. Materialising the result (rather than
 *   single-row mode) is what lets a caller run other statements on the same
 *   connection while it iterates, as it can on SQLite.
 * - Errors: SQLSTATE class 23 (integrity constraint: unique, foreign key,
 *   check, not null) is ERR_CONFLICT, the same set SQLite reports as
 *   SQLITE_CONSTRAINT; serialization failure, deadlock and lock timeout are
 *   ERR_BUSY; anything else is db_fail().
 * - A lost connection (server restart, idle kill) is re-established on the next
 *   call made outside a transaction, and statements prepared on the old
 *   session are prepared again transparently (a per-connection generation
 *   number tells them apart). Inside a transaction the loss is an error: the
 *   transaction is gone, and the caller's rollback resets tx_depth.
 *
 * One difference from SQLite that the interface cannot hide: after an error,
 * PostgreSQL aborts the whole transaction, not just the statement. We make a
 * COMMIT of such a transaction fail loudly instead of reporting success.
 */
#include "db/db.h"

#include <ctype.h>
#include <inttypes.h>
#include <libpq-fe.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/log.h"
#include "lib/sb.h"
#include "lib/xalloc.h"
#include "lib/common.h"

/* Used unless the URL sets connect_timeout: a dead host must not hang start-up. */
#define PG_CONNECT_TIMEOUT_S "10"

struct pg_db {
	struct db base;
	PGconn *conn;
	unsigned long next_id; /* names prepared statements */
	unsigned gen;          /* bumped on every reconnect */
};

struct pg_param {
	char *text;   /* owned copy, or NULL */
	char num[24]; /* an int64 in decimal */
};

enum pg_state { PG_READY, PG_EXECUTED, PG_FAILED };

struct pg_stmt {
	struct db_stmt base;
	char name[32];
	char *sql;     /* rewritten with $n, kept to re-prepare after a reconnect */
	unsigned gen;  /* session the statement was prepared in */
	int nparams;
	struct pg_param *params;
	const char **values; /* what PQexecPrepared sees: into params, or NULL */
	int bind_nomem;      /* a bind_text copy failed; step reports it */
	enum pg_state state;
	PGresult *res;
	int nrows, row;      /* row: the current row, -1 before the first */
	int64_t changes;
};

static struct pg_db *pgdb(struct db *db)
{
	return (struct pg_db *)db;
}

static struct pg_stmt *pgst(struct db_stmt *st)
{
	return (struct pg_stmt *)st;
}

/* ------------------------------------------------------------ messages */

/*
 * Copies a libpq message into dst on one line: whitespace runs become one
 * space, double quotes become single ones (log lines quote values with "),
 * and every occurrence of secret (the password) becomes "***".
 */
static void one_line(char *dst, size_t n, const char *src, const char *secret)
{
	size_t slen = secret ? strlen(secret) : 0;
	size_t o = 0;
	int space = 0;

	if (!n)
		return;
	for (const char *p = src ? src : ""; *p && o + 1 < n;) {
		if (slen && strncmp(p, secret, slen) == 0) {
			for (const char *m = "***"; *m && o + 1 < n; m++)
				dst[o++] = *m;
			p += slen;
			space = 0;
			continue;
		}
		unsigned char c = (unsigned char)*p++;
		if (isspace(c)) {
			space = o > 0;
			continue;
		}
		if (space && o + 2 < n)
			dst[o++] = ' ';
		space = 0;
		dst[o++] = c == '"' ? '\'' : (char)c;
	}
	dst[o] = '\0';
}

/* Maps a failed result to our error codes; res may be NULL (out of memory, lost connection). */
static int pg_error(struct pg_db *d, const PGresult *res, struct err *err, const char *what)
{
	const char *state = res ? PQresultErrorField(res, PG_DIAG_SQLSTATE) : NULL;
	char detail[512];

	if (state && strncmp(state, "23", 2) == 0) {
		one_line(detail, sizeof detail, PQresultErrorField(res, PG_DIAG_MESSAGE_PRIMARY), NULL);
		return err_setf(err, ERR_CONFLICT, "", "数据冲突:%s", "conflict: %s", detail, detail);
	}
	if (state && (strcmp(state, "40001") == 0 || strcmp(state, "40P01") == 0 ||
		      strcmp(state, "55P03") == 0))
		return err_set(err, ERR_BUSY, "", "数据库繁忙,请稍后重试", "database busy, try again");
	if (res && PQresultErrorMessage(res)[0])
		one_line(detail, sizeof detail, PQresultErrorMessage(res), NULL);
	else
		one_line(detail, sizeof detail, PQerrorMessage(d->conn), NULL);
	if (state) {
		/* Prefix the SQLSTATE: it is what one searches the manual for. */
		char with_state[sizeof detail + 8];
		snprintf(with_state, sizeof with_state, "%s %s", state, detail);
		return db_fail(err, what, with_state);
	}
	return db_fail(err, what, detail);
}

/* Server notices (e.g. "relation already exists, skipping") would go to stderr unformatted. */
static void pg_notice(void *arg, const char *message)
{
	char line[512];
	UNUSED(arg);
	one_line(line, sizeof line, message, NULL);
	log_debug("event=pg_notice msg=\"%s\"", line);
}

/* ---------------------------------------------------------- connection */

static int pg_open(const char *target, struct db **out, struct err *err)
{
	/* Entries before dbname may be overridden by the URL, those after it may not. */
	const char *const keys[] = { "connect_timeout", "application_name", "dbname",
				     "client_encoding", NULL };
	const char *const vals[] = { PG_CONNECT_TIMEOUT_S, "dianpu", target, "UTF8", NULL };
	PQconninfoOption *opts;
	char *perr = NULL;
	char secret[256] = "";
	char detail[256];
	struct pg_db *d;

	*out = NULL;
	/*
	 * Parse first, for the password: libpq's messages do not normally quote
	 * it, but we scrub it anyway. A URL that does not parse gets no detail,
	 * since the parser's message may quote the part holding the password.
	 */
	opts = PQconninfoParse(target, &perr);
	if (!opts) {
		PQfreemem(perr);
		return err_set(err, ERR_INVALID, "db", "PostgreSQL 地址格式无效",
			       "invalid PostgreSQL URL");
	}
	for (PQconninfoOption *o = opts; o->keyword; o++)
		if (strcmp(o->keyword, "password") == 0 && o->val)
			snprintf(secret, sizeof secret, "%s", o->val);
	PQconninfoFree(opts);

	d = xcalloc(1, sizeof *d);
	if (!d) {
		explicit_bzero(secret, sizeof secret);
		return err_set(err, ERR_NOMEM, "", "内存不足", "out of memory");
	}
	d->conn = PQconnectdbParams(keys, vals, 1);
	if (!d->conn || PQstatus(d->conn) != CONNECTION_OK) {
		one_line(detail, sizeof detail, d->conn ? PQerrorMessage(d->conn) : "out of memory",
			 secret[0] ? secret : NULL);
		explicit_bzero(secret, sizeof secret);
		err_setf(err, ERR_IO, "db", "无法连接 PostgreSQL:%s",
			 "cannot connect to PostgreSQL: %s", detail, detail);
		PQfinish(d->conn);
		xfree(d);
		return ERR_IO;
	}
	explicit_bzero(secret, sizeof secret);
	PQsetNoticeProcessor(d->conn, pg_notice, NULL);
	d->base.engine = DB_POSTGRES;
	*out = &d->base;
	return 0;
}

static void pg_close(struct db *db)
{
	PQfinish(pgdb(db)->conn);
	xfree(db);
}

enum pg_tx_edge { PG_TX_NONE, PG_TX_OPENS, PG_TX_COMMITS };

/*
 * Reconnects a lost connection when that cannot lose work: outside a
 * transaction, or when the statement about to run opens one. Never for a
 * COMMIT: db_commit has already lowered tx_depth to 0, and a COMMIT on a fresh
 * session would "succeed" with the transaction's writes gone.
 */
static int ensure_conn(struct pg_db *d, enum pg_tx_edge edge, struct err *err)
{
	char detail[256];

	if (PQstatus(d->conn) == CONNECTION_OK)
		return 0;
	if (edge == PG_TX_COMMITS || (d->base.tx_depth > 0 && edge != PG_TX_OPENS))
		return db_fail(err, "connection", "connection lost inside a transaction");
	PQreset(d->conn);
	if (PQstatus(d->conn) != CONNECTION_OK) {
		one_line(detail, sizeof detail, PQerrorMessage(d->conn), NULL);
		return db_fail(err, "reconnect", detail);
	}
	d->gen++;
	log_warn("event=pg_reconnected");
	return 0;
}

/* --------------------------------------------------------------- exec */

static int pg_exec(struct db *db, const char *sql, struct err *err)
{
	struct pg_db *d = pgdb(db);
	int commit = strcmp(sql, "COMMIT") == 0;
	PGresult *res;
	int rc;

	/* db_begin raises tx_depth before it sends BEGIN; db_rollback lowers it
	 * before ROLLBACK, so that one may reconnect already. */
	rc = ensure_conn(d, strcmp(sql, "BEGIN") == 0 ? PG_TX_OPENS
			 : commit ? PG_TX_COMMITS : PG_TX_NONE, err);
	if (rc)
		return rc;
	/* Nothing to commit means the transaction was lost on the way: saying
	 * "committed" (PostgreSQL only warns) would be a lie. */
	if (commit && PQtransactionStatus(d->conn) == PQTRANS_IDLE)
		return db_fail(err, "commit", "no transaction in progress");
	/* The simple-query protocol runs a whole script; it returns one result per
	 * statement and stops at the first error. Read them all: the connection
	 * is not usable again until PQgetResult returns NULL. */
	if (!PQsendQuery(d->conn, sql))
		return pg_error(d, NULL, err, "exec");
	while ((res = PQgetResult(d->conn))) {
		switch (PQresultStatus(res)) {
		case PGRES_COMMAND_OK:
			/* COMMIT of a transaction aborted by an earlier error rolls
			 * back and says so only in the tag; the caller must not
			 * believe its writes were saved. */
			if (!rc && commit &&
			    strcmp(PQcmdStatus(res), "ROLLBACK") == 0)
				rc = db_fail(err, "commit", "transaction had failed and was rolled back");
			break;
		case PGRES_TUPLES_OK:
		case PGRES_EMPTY_QUERY:
			break;
		case PGRES_COPY_IN:
			/* Not something we send; refuse it so the loop ends. */
			PQputCopyEnd(d->conn, "COPY is not supported here");
			break;
		case PGRES_COPY_OUT: {
			char *buf;
			while (PQgetCopyData(d->conn, &buf, 0) > 0)
				PQfreemem(buf);
			break;
		}
		default:
			if (!rc)
				rc = pg_error(d, res, err, "exec");
			break;
		}
		PQclear(res);
		if (PQstatus(d->conn) != CONNECTION_OK)
			break;
	}
	return rc;
}

/* ------------------------------------------------------ placeholder rewrite */

static int ident_char(char c)
{
	unsigned char u = (unsigned char)c;
	return isalnum(u) || c == '_' || c == '$' || u >= 0x80;
}

/* p at an opening quote; returns just past the closing one (or the end). */
static const char *skip_quoted(const char *p, char quote, int backslash)
{
	const char *q = p + 1;
	while (*q) {
		if (backslash && *q == '\\' && q[1]) {
			q += 2;
		} else if (*q == quote) {
			if (q[1] != quote)
				return q + 1;
			q += 2; /* '' or "" is an escaped quote */
		} else {
			q++;
		}
	}
	return q;
}

/* p at "/" "*"; PostgreSQL's block comments nest. */
static const char *skip_block_comment(const char *p)
{
	const char *q = p + 2;
	int depth = 1;
	while (*q && depth) {
		if (q[0] == '/' && q[1] == '*') {
			depth++;
			q += 2;
		} else if (q[0] == '*' && q[1] == '/') {
			depth--;
			q += 2;
		} else {
			q++;
		}
	}
	return q;
}

/* p at "$": returns the end of a $tag$...$tag$ string, or NULL if this is no dollar quote. */
static const char *skip_dollar_quoted(const char *start, const char *p)
{
	const char *t = p + 1;
	if (p > start && ident_char(p[-1]))
		return NULL; /* part of an identifier such as a$b */
	if (*t != '$' && !(isalpha((unsigned char)*t) || *t == '_' || (unsigned char)*t >= 0x80))
		return NULL; /* $1 or a lone $ */
	while (*t != '$') {
		if (!ident_char(*t))
			return NULL;
		t++;
	}
	size_t taglen = (size_t)(t - p) + 1;
	for (const char *q = t + 1; *q; q++)
		if (*q == '$' && strncmp(q, p, taglen) == 0)
			return q + taglen;
	return p + strlen(p);
}

/* Rewrites `?` to $1..$n; *out is the caller's to xfree. */
static int rewrite_placeholders(const char *sql, char **out, int *nparams, struct err *err)
{
	struct sb sb = SB_INIT;
	const char *p = sql, *q;
	int n = 0;

	while (*p) {
		q = NULL;
		if (*p == '\'') {
			int e = p > sql && (p[-1] == 'E' || p[-1] == 'e') &&
				(p - 1 == sql || !ident_char(p[-2]));
			q = skip_quoted(p, '\'', e);
		} else if (*p == '"') {
			q = skip_quoted(p, '"', 0);
		} else if (p[0] == '-' && p[1] == '-') {
			q = p + strcspn(p, "\n");
		} else if (p[0] == '/' && p[1] == '*') {
			q = skip_block_comment(p);
		} else if (*p == '$') {
			q = skip_dollar_quoted(sql, p);
		} else if (*p == '?') {
			sb_addf(&sb, "$%d", ++n);
			p++;
			continue;
		}
		if (q) {
			sb_add(&sb, p, (size_t)(q - p));
			p = q;
		} else {
			sb_addc(&sb, *p++);
		}
	}
	*out = sb_take(&sb, err);
	if (!*out)
		return err->code ? err->code : ERR_NOMEM;
	*nparams = n;
	return 0;
}

/* ----------------------------------------------------------- statements */

static int server_prepare(struct pg_db *d, struct pg_stmt *s, struct err *err)
{
	PGresult *res = PQprepare(d->conn, s->name, s->sql, 0, NULL);
	int rc = 0;

	if (!res || PQresultStatus(res) != PGRES_COMMAND_OK)
		rc = pg_error(d, res, err, "prepare");
	else
		s->gen = d->gen;
	PQclear(res);
	return rc;
}

static void free_stmt(struct pg_stmt *s)
{
	if (!s)
		return;
	PQclear(s->res);
	for (int i = 0; s->params && i < s->nparams; i++)
		xfree(s->params[i].text);
	xfree(s->params);
	xfree(s->values);
	xfree(s->sql);
	xfree(s);
}

static int pg_prepare(struct db *db, const char *sql, struct db_stmt **out, struct err *err)
{
	struct pg_db *d = pgdb(db);
	struct pg_stmt *s;
	int rc;

	*out = NULL;
	rc = ensure_conn(d, PG_TX_NONE, err);
	if (rc)
		return rc;
	s = xcalloc(1, sizeof *s);
	if (!s)
		return err_set(err, ERR_NOMEM, "", "内存不足", "out of memory");
	s->row = -1;
	rc = rewrite_placeholders(sql, &s->sql, &s->nparams, err);
	if (rc)
		goto fail;
	if (s->nparams) {
		s->params = xcalloc((size_t)s->nparams, sizeof *s->params);
		s->values = xcalloc((size_t)s->nparams, sizeof *s->values);
		if (!s->params || !s->values) {
			rc = err_set(err, ERR_NOMEM, "", "内存不足", "out of memory");
			goto fail;
		}
	}
	snprintf(s->name, sizeof s->name, "dp%lu", ++d->next_id);
	rc = server_prepare(d, s, err);
	if (rc)
		goto fail;
	s->base.db = db;
	*out = &s->base;
	return 0;
fail:
	free_stmt(s);
	return rc;
}

/* idx is 1-based; out of range is ignored, as sqlite3_bind_* does. */
static struct pg_param *param(struct pg_stmt *s, int idx)
{
	if (idx < 1 || idx > s->nparams)
		return NULL;
	struct pg_param *p = &s->params[idx - 1];
	xfree(p->text);
	p->text = NULL;
	s->values[idx - 1] = NULL;
	return p;
}

static void pg_bind_int(struct db_stmt *st, int idx, int64_t v)
{
	struct pg_stmt *s = pgst(st);
	struct pg_param *p = param(s, idx);
	if (!p)
		return;
	snprintf(p->num, sizeof p->num, "%" PRId64, v);
	s->values[idx - 1] = p->num;
}

static void pg_bind_text(struct db_stmt *st, int idx, const char *str)
{
	struct pg_stmt *s = pgst(st);
	struct pg_param *p = param(s, idx);
	if (!p || !str)
		return;
	p->text = xstrdup(str);
	if (!p->text) {
		/* Binding NULL instead would store the wrong value silently. */
		s->bind_nomem = 1;
		return;
	}
	s->values[idx - 1] = p->text;
}

static void pg_bind_null(struct db_stmt *st, int idx)
{
	param(pgst(st), idx);
}

static int64_t parse_count(const char *s)
{
	return s && *s ? strtoll(s, NULL, 10) : 0;
}

/* Rows changed, for data-changing commands only: PQcmdTuples also counts a SELECT's rows. */
static int64_t changed_rows(const PGresult *res)
{
	static const char *const tags[] = { "INSERT ", "UPDATE ", "DELETE ", "MERGE " };
	const char *tag = PQcmdStatus((PGresult *)res);

	for (size_t i = 0; i < ARRAY_SIZE(tags); i++)
		if (strncmp(tag, tags[i], strlen(tags[i])) == 0)
			return parse_count(PQcmdTuples((PGresult *)res));
	return 0;
}

static int execute(struct pg_db *d, struct pg_stmt *s, struct err *err)
{
	int rc;

	if (s->bind_nomem)
		return err_set(err, ERR_NOMEM, "", "内存不足", "out of memory");
	rc = ensure_conn(d, PG_TX_NONE, err);
	if (rc)
		return rc;
	if (s->gen != d->gen) {
		/* Prepared on a session that has since been replaced. */
		rc = server_prepare(d, s, err);
		if (rc)
			return rc;
	}
	s->res = PQexecPrepared(d->conn, s->name, s->nparams, s->values, NULL, NULL, 0);
	switch (s->res ? PQresultStatus(s->res) : PGRES_FATAL_ERROR) {
	case PGRES_TUPLES_OK:
	case PGRES_COMMAND_OK:
		s->nrows = PQntuples(s->res);
		s->row = -1;
		s->changes = changed_rows(s->res);
		return 0;
	default:
		rc = pg_error(d, s->res, err, "step");
		PQclear(s->res);
		s->res = NULL;
		return rc;
	}
}

static int pg_step(struct db_stmt *st, struct err *err)
{
	struct pg_stmt *s = pgst(st);
	int rc;

	if (s->state == PG_EXECUTED && s->row >= s->nrows) {
		/* Stepping past DB_DONE runs the statement again with the same
		 * bindings, as sqlite3_step's automatic reset does. */
		PQclear(s->res);
		s->res = NULL;
		s->state = PG_READY;
	}
	switch (s->state) {
	case PG_READY:
		rc = execute(pgdb(st->db), s, err);
		if (rc) {
			s->state = PG_FAILED;
			return rc;
		}
		s->state = PG_EXECUTED;
		break;
	case PG_EXECUTED:
		break;
	case PG_FAILED:
		return db_fail(err, "step", "statement failed; reset it before stepping again");
	}
	if (s->row + 1 < s->nrows) {
		s->row++;
		return DB_ROW;
	}
	s->row = s->nrows;
	return DB_DONE;
}

/* The current row's field, or NULL when there is no row or column. */
static int has_field(const struct pg_stmt *s, int col)
{
	return s->res && s->row >= 0 && s->row < s->nrows && col >= 0 && col < PQnfields(s->res);
}

static int pg_col_is_null(struct db_stmt *st, int col)
{
	struct pg_stmt *s = pgst(st);
	return !has_field(s, col) || PQgetisnull(s->res, s->row, col);
}

static const char *pg_col_text(struct db_stmt *st, int col)
{
	struct pg_stmt *s = pgst(st);
	if (pg_col_is_null(st, col))
		return NULL;
	return PQgetvalue(s->res, s->row, col);
}

/* As sqlite3_column_int64: NULL is 0, and a boolean (t/f on PostgreSQL) is 1/0. */
static int64_t pg_col_int(struct db_stmt *st, int col)
{
	const char *v = pg_col_text(st, col);
	if (!v)
		return 0;
	if (strcmp(v, "t") == 0)
		return 1;
	if (strcmp(v, "f") == 0)
		return 0;
	return strtoll(v, NULL, 10);
}

static int64_t pg_changes(struct db_stmt *st)
{
	return pgst(st)->changes;
}

static void pg_reset(struct db_stmt *st)
{
	struct pg_stmt *s = pgst(st);

	PQclear(s->res);
	s->res = NULL;
	s->nrows = 0;
	s->row = -1;
	s->changes = 0;
	s->state = PG_READY;
	s->bind_nomem = 0;
	for (int i = 0; i < s->nparams; i++) {
		xfree(s->params[i].text);
		s->params[i].text = NULL;
		s->values[i] = NULL;
	}
}

/*
 * Frees the statement, and deallocates it on the server when that is useful
 * and safe. A cached statement is only finalized by db_close, just before
 * PQfinish drops every statement of the session anyway, so a round trip each
 * would only slow shutdown. An uncached one (db.c could not allocate its cache
 * entry) is finalized by db_done, on a connection that lives on in the pool:
 * without DEALLOCATE each use would leak a statement on the server. We send
 * it only on a healthy, idle connection from the same session: inside a
 * transaction a failure would abort the caller's transaction, and on a
 * replaced session the statement no longer exists.
 */
static void pg_finalize(struct db_stmt *st)
{
	struct pg_stmt *s = pgst(st);
	struct pg_db *d = pgdb(st->db);

	if (!st->cached && PQstatus(d->conn) == CONNECTION_OK && s->gen == d->gen &&
	    PQtransactionStatus(d->conn) == PQTRANS_IDLE) {
		char sql[64];
		snprintf(sql, sizeof sql, "DEALLOCATE %s", s->name); /* our own name, not data */
		PGresult *res = PQexec(d->conn, sql);
		if (!res || PQresultStatus(res) != PGRES_COMMAND_OK)
			log_warn("event=pg_deallocate_failed stmt=%s", s->name);
		PQclear(res);
	}
	free_stmt(s);
}

const struct db_ops db_pg_ops = {
	.name = "postgres",
	.open = pg_open,
	.close = pg_close,
	.exec = pg_exec,
	.prepare = pg_prepare,
	.bind_int = pg_bind_int,
	.bind_text = pg_bind_text,
	.bind_null = pg_bind_null,
	.step = pg_step,
	.col_int = pg_col_int,
	.col_text = pg_col_text,
	.col_is_null = pg_col_is_null,
	.changes = pg_changes,
	.reset = pg_reset,
	.finalize = pg_finalize,
};
