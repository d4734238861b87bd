#include "lib/log.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "lib/common.h"

static enum log_level current = LOG_INFO;
static const char *names[] = { "error", "warn", "info", "debug" };

void log_set_level(enum log_level lvl)
{
	current = lvl;
}

int log_level_parse(const char *s, enum log_level *out)
{
	for (size_t i = 0; i < ARRAY_SIZE(names); i++) {
		if (strcmp(s, names[i]) == 0) {
			*out = (enum log_level)i;
			return 0;
		}
	}
	return -1;
}

void log_at(enum log_level lvl, const char *file, int line, const char *fmt, ...)
{
	char ts[32], msg[2048];
	struct tm tm;
	time_t now = time(NULL);
	va_list ap;

	if (lvl > current)
		return;
	gmtime_r(&now, &tm);
	strftime(ts, sizeof ts, "%Y-%m-%dT%H:%M:%SZ", &tm);
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
#ifdef DIANPU_DEBUG
	fprintf(stderr, "time=%s level=%s src=%s:%d %s\n", ts, names[lvl], file, line, msg);
#else
	UNUSED(file);
	UNUSED(line);
	fprintf(stderr, "time=%s level=%s %s\n", ts, names[lvl], msg);
#endif
}
