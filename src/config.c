#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "lib/common.h"

enum cfg_type { CFG_STR, CFG_INT };

struct cfg_def {
	const char *name;
	const char *env;
	enum cfg_type type;
	size_t offset;
	size_t size; /* buffer size for strings */
	const char *def;
	long min, max;
	const char *help;
};

#define STR(field, name, env, def, help) \
	{ name, env, CFG_STR, offsetof(struct config, field), \
	  sizeof(((struct config *)0)->field), def, 0, 0, help }
#define INT(field, name, env, def, lo, hi, help) \
	{ name, env, CFG_INT, offsetof(struct config, field), 0, def, lo, hi, help }

static const struct cfg_def defs[] = {
	STR(db, "db", "DIANPU_DB", "sqlite:var/dianpu.db", "database: sqlite:PATH or postgres://..."),
	STR(listen, "listen", "DIANPU_LISTEN", "127.0.0.1:8080", "address:port to serve on (port 0 = any free)"),
	STR(web, "web", "DIANPU_WEB", "", "directory of the web console (empty = built-in)"),
	STR(log_level, "log-level", "DIANPU_LOG_LEVEL", "info", "error, warn, info or debug"),
	INT(threads, "threads", "DIANPU_THREADS", "0", 0, 256, "worker threads (0 = one per core)"),
	INT(max_body_kb, "max-body-kb", "DIANPU_MAX_BODY_KB", "10240", 1, 1048576,
	    "largest request body in KiB (larger gets 413)"),
	INT(max_upload_mb, "max-upload-mb", "DIANPU_MAX_UPLOAD_MB", "2048", 1, 65536,
	    "largest file upload (imports) in MiB"),
	INT(timeout_s, "timeout", "DIANPU_TIMEOUT", "60", 1, 3600, "idle connection timeout, seconds"),
	INT(session_hours, "session-hours", "DIANPU_SESSION_HOURS", "12", 1, 720,
	    "session lifetime in hours"),
	INT(login_window_min, "login-window-min", "DIANPU_LOGIN_WINDOW_MIN", "15", 1, 1440,
	    "window for counting failed logins, minutes"),
	INT(login_max_fail_user, "login-max-fail-user", "DIANPU_LOGIN_MAX_FAIL_USER", "5", 1, 1000,
	    "failed logins per username in the window before 429"),
	INT(login_max_fail_address, "login-max-fail-address", "DIANPU_LOGIN_MAX_FAIL_ADDRESS", "30",
	    1, 100000, "failed logins per client address in the window before 429"),
};

static int set_value(struct config *c, const struct cfg_def *d, const char *v, const char *from,
		     struct err *err)
{
	char *p = (char *)c + d->offset;

	if (d->type == CFG_STR) {
		if (strlen(v) >= d->size)
			return err_setf(err, ERR_INVALID, d->name, "%s 的值过长(来自 %s)",
					"value of %s is too long (from %s)", d->name, from, d->name, from);
		snprintf(p, d->size, "%s", v);
		return 0;
	}
	char *end;
	errno = 0;
	long n = strtol(v, &end, 10);
	if (errno || end == v || *end || n < d->min || n > d->max)
		return err_setf(err, ERR_INVALID, d->name, "%s 应为 %ld–%ld 的整数(来自 %s)",
				"%s must be an integer %ld-%ld (from %s)", d->name, d->min, d->max,
				from, d->name, d->min, d->max, from);
	*(int *)p = (int)n;
	return 0;
}

static const struct cfg_def *find_def(const char *name, size_t len)
{
	for (size_t i = 0; i < ARRAY_SIZE(defs); i++)
		if (strlen(defs[i].name) == len && strncmp(defs[i].name, name, len) == 0)
			return &defs[i];
	return NULL;
}

static char *trim(char *s)
{
	while (*s == ' ' || *s == '\t')
		s++;
	size_t n = strlen(s);
	while (n && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\n' || s[n - 1] == '\r'))
		s[--n] = '\0';
	return s;
}

static int load_file(struct config *c, const char *path, struct err *err)
{
	FILE *f = fopen(path, "r");
	char line[1024];
	int rc = 0;

	if (!f)
		return err_setf(err, ERR_IO, "config", "无法打开配置文件 %s", "cannot open config file %s",
				path, path);
	while (!rc && fgets(line, sizeof line, f)) {
		char *s = trim(line), *eq;
		if (*s == '#' || *s == '\0')
			continue;
		eq = strchr(s, '=');
		if (!eq) {
			rc = err_setf(err, ERR_INVALID, "config", "配置行缺少 '=':%s",
				      "config line lacks '=': %s", s, s);
			break;
		}
		*eq = '\0';
		char *name = trim(s), *value = trim(eq + 1);
		const struct cfg_def *d = find_def(name, strlen(name));
		if (!d)
			rc = err_setf(err, ERR_INVALID, "config", "未知配置项 %s", "unknown setting %s",
				      name, name);
		else
			rc = set_value(c, d, value, path, err);
	}
	fclose(f);
	return rc;
}

/* Finds --NAME=value or --NAME value; marks used entries NULL. */
static const char *take_flag(int argc, char **argv, const char *name)
{
	size_t n = strlen(name);
	for (int i = 1; i < argc; i++) {
		char *a = argv[i];
		if (!a || strncmp(a, "--", 2) != 0 || strncmp(a + 2, name, n) != 0)
			continue;
		if (a[2 + n] == '=') {
			argv[i] = NULL;
			return a + 3 + n;
		}
		if (a[2 + n] == '\0' && i + 1 < argc && argv[i + 1]) {
			const char *v = argv[i + 1];
			argv[i] = argv[i + 1] = NULL;
			return v;
		}
	}
	return NULL;
}

int config_load(struct config *c, int argc, char **argv, struct err *err)
{
	const char *file = take_flag(argc, argv, "config");
	int rc;

	memset(c, 0, sizeof *c);
	for (size_t i = 0; i < ARRAY_SIZE(defs); i++) {
		rc = set_value(c, &defs[i], defs[i].def, "default", err);
		if (rc)
			return rc;
	}
	if (file) {
		rc = load_file(c, file, err);
		if (rc)
			return rc;
	}
	for (size_t i = 0; i < ARRAY_SIZE(defs); i++) {
		const char *v = getenv(defs[i].env);
		if (v && *v) {
			rc = set_value(c, &defs[i], v, defs[i].env, err);
			if (rc)
				return rc;
		}
	}
	for (size_t i = 0; i < ARRAY_SIZE(defs); i++) {
		const char *v = take_flag(argc, argv, defs[i].name);
		if (v) {
			rc = set_value(c, &defs[i], v, "flag", err);
			if (rc)
				return rc;
		}
	}
	if (c->threads == 0) {
		long n = sysconf(_SC_NPROCESSORS_ONLN);
		c->threads = n > 0 ? (int)n : 2;
	}
	return 0;
}

void config_usage(void)
{
	fprintf(stderr, "settings (flag --NAME VALUE > env > --config FILE > default):\n");
	for (size_t i = 0; i < ARRAY_SIZE(defs); i++)
		fprintf(stderr, "  --%-24s %-32s default %-22s %s\n", defs[i].name, defs[i].env,
			*defs[i].def ? defs[i].def : "\"\"", defs[i].help);
}
