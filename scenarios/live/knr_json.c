/* SPDX-License-Identifier: MIT */
/* knr_json.c - builds one JSON object in memory, then writes it as a single line. */
#include "knr_json.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static char *line;
static size_t used, capacity;
/* Whether the current array or object already has a member (so the next one needs a comma). */
static int has_member[64];
static int depth;
static int after_key;
static int output_fd = STDOUT_FILENO;

static void append(const char *text, size_t length)
{
	if (used + length + 2 > capacity) {
		capacity = (used + length + 2) * 2;
		line = realloc(line, capacity);
		if (!line) {
			perror("knr_live: out of memory");
			_exit(70);
		}
	}
	memcpy(line + used, text, length);
	used += length;
}

static void appends(const char *text)
{
	append(text, strlen(text));
}

/* A value or key starts here: separate it from the previous member unless it follows a key. */
static void begin_value(void)
{
	if (after_key) {
		after_key = 0;
		return;
	}
	if (depth > 0 && has_member[depth - 1])
		appends(",");
	if (depth > 0)
		has_member[depth - 1] = 1;
}

void knr_json_open(char bracket)
{
	begin_value();
	append(&bracket, 1);
	has_member[depth++] = 0;
}

void knr_json_close(char bracket)
{
	depth--;
	append(&bracket, 1);
}

static void quoted(const char *text)
{
	char escaped[8];

	appends("\"");
	for (const unsigned char *c = (const unsigned char *)text; *c; c++) {
		if (*c == '"' || *c == '\\' || *c < 0x20) {
			snprintf(escaped, sizeof(escaped), "\\u%04x", *c);
			appends(escaped);
		} else {
			append((const char *)c, 1);
		}
	}
	appends("\"");
}

void knr_json_key(const char *key)
{
	begin_value();
	quoted(key);
	appends(":");
	after_key = 1;
}

void knr_json_int(long long value)
{
	char text[32];

	begin_value();
	snprintf(text, sizeof(text), "%lld", value);
	appends(text);
}

void knr_json_string(const char *text)
{
	begin_value();
	quoted(text);
}

void knr_json_hex(const unsigned char *bytes, size_t length)
{
	static const char digits[] = "0123456789abcdef";

	begin_value();
	appends("\"");
	for (size_t i = 0; i < length; i++) {
		char pair[2] = { digits[bytes[i] >> 4], digits[bytes[i] & 15] };
		append(pair, 2);
	}
	appends("\"");
}

void knr_json_set_output(int fd)
{
	output_fd = fd;
}

void knr_json_emit(void)
{
	size_t written = 0;

	appends("\n");
	while (written < used) {
		ssize_t n = write(output_fd, line + written, used - written);
		if (n <= 0) {
			perror("knr_live: writing a result");
			_exit(70);
		}
		written += (size_t)n;
	}
	used = 0;
	depth = 0;
	after_key = 0;
}
