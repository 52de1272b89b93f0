/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * csvcount: the bare libcsv parse rate, for scripts/bench.
 *
 * Reads CSV from stdin through libcsv in 64 KiB chunks, with the same
 * options as mc_csv (strict, NUL-appended fields), and prints the number
 * of data rows (rows after the header).  It converts nothing: it is the
 * floor that mcpi --points, which also parses two numbers a row, is
 * measured against.
 */
#include <stdio.h>
#include <stdlib.h>

#include <csv.h>

struct count {
	unsigned long long fields, rows;
};

static void
on_field(void *s, size_t len, void *data)
{
	(void)s;
	(void)len;
	((struct count *)data)->fields++;
}

static void
on_row(int c, void *data)
{
	(void)c;
	((struct count *)data)->rows++;
}

int
main(void)
{
	static char buf[65536];
	struct csv_parser p;
	struct count n = { 0, 0 };
	size_t len;

	if (csv_init(&p, CSV_STRICT | CSV_STRICT_FINI | CSV_APPEND_NULL) != 0)
		return 70;
	while ((len = fread(buf, 1, sizeof(buf), stdin)) > 0)
		if (csv_parse(&p, buf, len, on_field, on_row, &n) != len) {
			fprintf(stderr, "csvcount: %s\n",
			    csv_strerror(csv_error(&p)));
			return 65;
		}
	csv_fini(&p, on_field, on_row, &n);
	csv_free(&p);
	printf("%llu\n", n.rows ? n.rows - 1 : 0);
	return ferror(stdin) ? 74 : 0;
}
