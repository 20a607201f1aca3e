/* SPDX-License-Identifier: MIT */
/* knr_json.h - a minimal JSON line writer for the live runner's records (one object per line). */
#ifndef KNR_JSON_H
#define KNR_JSON_H

#include <stddef.h>

void knr_json_open(char bracket);
void knr_json_close(char bracket);
void knr_json_key(const char *key);
void knr_json_int(long long value);
void knr_json_string(const char *text);
void knr_json_hex(const unsigned char *bytes, size_t length);
/* Where lines go (standard output until set). */
void knr_json_set_output(int fd);
/* Writes the finished line in one write() and resets the writer. */
void knr_json_emit(void);

#endif /* KNR_JSON_H */
