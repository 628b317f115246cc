/* Turn a path into a stream of documents: a file, a directory tree, a
 * .zip/.tar(.gz|.bz2|.xz) bundle, or "-" (standard input).  JSON is fed
 * to the splitter in chunks (bounded memory for any file size); XML (first
 * non-blank byte '<') is streamed to the XML splitter; YAML files are read
 * whole up to VD_DOC_MAX. */
#include "vulnd/formats.h"
#include "vulnd/error.h"
#include <archive.h>
#include <archive_entry.h>
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#define CHUNK (64 * 1024)
#define MAX_DIR_DEPTH 32

typedef struct {
	const vd_input_sink *sink;
	uint64_t done, total;
	int stop;
} walk;

static void progress(walk *w, uint64_t n)
{
	w->done += n;
	if (w->sink->progress)
		w->sink->progress(w->sink->ctx, w->done, w->total);
}

static void bad(walk *w, const char *where, const char *reason)
{
	if (w->sink->bad)
		w->sink->bad(w->sink->ctx, where, reason);
}

static bool wanted_name(const char *name)
{
	const char *base = strrchr(name, '/');
	base = base ? base + 1 : name;
	if (base[0] == '.')
		return false;
	return vd_str_has_suffix(base, ".json") || vd_str_has_suffix(base, ".yaml") ||
	       vd_str_has_suffix(base, ".yml") || vd_str_has_suffix(base, ".xml");
}

static bool yaml_name(const char *name)
{
	return vd_str_has_suffix(name, ".yaml") || vd_str_has_suffix(name, ".yml");
}

/* Read a stream with a reader function; JSON goes chunk by chunk to the
 * splitter, YAML (by name or first byte) is collected up to VD_DOC_MAX. */
typedef ssize_t (*read_fn)(void *src, char *buf, size_t n);

/* XML goes to the XML splitter through this adapter (progress counted). */
typedef struct {
	walk *w;
	read_fn rd;
	void *src;
} xml_src;

static ptrdiff_t xml_read(void *p, char *buf, size_t n)
{
	xml_src *x = p;
	ssize_t got = x->rd(x->src, buf, n);
	if (got > 0)
		progress(x->w, (uint64_t)got);
	return got;
}

static int read_stream(walk *w, const char *name, read_fn rd, void *src)
{
	char *chunk = malloc(CHUNK);
	if (!chunk)
		return vd_error_set(VD_ENOMEM, "out of memory");
	ssize_t n = rd(src, chunk, CHUNK);
	if (n < 0) {
		bad(w, name, vd_error_msg());
		free(chunk);
		return VD_OK;
	}
	size_t i = 0;
	if (n >= 3 && memcmp(chunk, "\xEF\xBB\xBF", 3) == 0)
		i = 3;
	while (i < (size_t)n && strchr(" \t\r\n", chunk[i]))
		i++;
	bool xml = i < (size_t)n && chunk[i] == '<';     /* XML by content */
	bool yaml = !xml && (yaml_name(name) || (i < (size_t)n && chunk[i] != '{' && chunk[i] != '['));
	int rc = VD_OK;
	if (n == 0) {
		bad(w, name, "empty file");
	} else if (xml) {
		progress(w, (uint64_t)n);
		xml_src xs = {w, rd, src};
		rc = vd_xml_split_stream(name, chunk, (size_t)n, xml_read, &xs, w->sink);
	} else if (yaml) {
		vd_buf b;
		vd_buf_init(&b, VD_DOC_MAX);
		while (n > 0 && !rc) {
			progress(w, (uint64_t)n);
			if (vd_buf_add(&b, chunk, (size_t)n)) {
				bad(w, name, "YAML file larger than the 32 MiB limit; skipped");
				vd_buf_free(&b);
				free(chunk);
				return VD_OK;
			}
			n = rd(src, chunk, CHUNK);
		}
		if (n < 0)
			bad(w, name, vd_error_msg());
		else
			rc = vd_doc_split(name, vd_buf_str(&b), b.len, w->sink);
		vd_buf_free(&b);
	} else {
		vd_jsplit *j = vd_jsplit_new(name, w->sink);
		if (!j) {
			free(chunk);
			return vd_error_set(VD_ENOMEM, "out of memory");
		}
		while (n > 0 && !rc) {
			progress(w, (uint64_t)n);
			rc = vd_jsplit_feed(j, chunk, (size_t)n);
			if (!rc)
				n = rd(src, chunk, CHUNK);
		}
		if (n < 0) {
			char msg[600];
			snprintf(msg, sizeof msg, "read error: %s", vd_error_msg());
			bad(w, name, msg);
		}
		int rc2 = vd_jsplit_end(j);
		if (!rc)
			rc = rc2;
	}
	free(chunk);
	return rc;
}

static ssize_t read_file(void *src, char *buf, size_t n)
{
	FILE *f = src;
	size_t got = fread(buf, 1, n, f);
	if (got == 0 && ferror(f)) {
		vd_error_set(VD_EIO, "%s", strerror(errno));
		return -1;
	}
	return (ssize_t)got;
}

static ssize_t read_archive(void *src, char *buf, size_t n)
{
	struct archive *a = src;
	la_ssize_t got = archive_read_data(a, buf, n);
	if (got < 0) {
		vd_error_set(VD_EIO, "%s", archive_error_string(a));
		return -1;
	}
	return (ssize_t)got;
}

static bool is_archive(const unsigned char *m, size_t n)
{
	return (n >= 4 && memcmp(m, "PK\x03\x04", 4) == 0) ||      /* zip */
	       (n >= 2 && m[0] == 0x1f && m[1] == 0x8b) ||           /* gzip */
	       (n >= 3 && memcmp(m, "BZh", 3) == 0) ||               /* bzip2 */
	       (n >= 6 && memcmp(m, "\xFD" "7zXZ\0", 6) == 0) ||     /* xz */
	       (n >= 262 && memcmp(m + 257, "ustar", 5) == 0);      /* tar */
}

static int walk_archive(walk *w, const char *path)
{
	struct archive *a = archive_read_new();
	if (!a)
		return vd_error_set(VD_ENOMEM, "out of memory");
	archive_read_support_filter_all(a);
	archive_read_support_format_zip(a);
	archive_read_support_format_tar(a);
	archive_read_support_format_raw(a);   /* a single gzipped JSON file */
	if (archive_read_open_filename(a, path, CHUNK) != ARCHIVE_OK) {
		int rc = vd_error_set(VD_EIO, "%s: cannot open archive: %s", path, archive_error_string(a));
		archive_read_free(a);
		return rc;
	}
	struct archive_entry *e;
	int rc = VD_OK, r;
	char name[4200];
	while (!rc && (r = archive_read_next_header(a, &e)) == ARCHIVE_OK) {
		const char *en = archive_entry_pathname(e);
		bool raw = archive_format(a) == ARCHIVE_FORMAT_RAW;
		if (!raw && (archive_entry_filetype(e) != AE_IFREG || !en || !wanted_name(en)))
			continue;
		snprintf(name, sizeof name, "%s:%s", path, raw ? "data" : en);
		rc = read_stream(w, name, read_archive, a);
	}
	if (!rc && r != ARCHIVE_EOF && r != ARCHIVE_OK) {
		snprintf(name, sizeof name, "%s", path);
		char msg[600];
		snprintf(msg, sizeof msg, "archive error: %s; the rest of the archive is skipped",
		         archive_error_string(a));
		bad(w, name, msg);
	}
	archive_read_free(a);
	return rc;
}

static int walk_file(walk *w, const char *path)
{
	FILE *f = strcmp(path, "-") == 0 ? stdin : fopen(path, "rb");
	if (!f) {
		char msg[600];
		snprintf(msg, sizeof msg, "cannot open: %s", strerror(errno));
		bad(w, path, msg);
		return VD_OK;
	}
	unsigned char magic[512];
	size_t n = 0;
	if (f != stdin) {
		n = fread(magic, 1, sizeof magic, f);
		rewind(f);
	}
	int rc;
	if (f != stdin && is_archive(magic, n)) {
		fclose(f);
		return walk_archive(w, path);
	}
	rc = read_stream(w, strcmp(path, "-") == 0 ? "<stdin>" : path, read_file, f);
	if (f != stdin)
		fclose(f);
	return rc;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* List a directory's entries, sorted (deterministic import order). */
static char **list_dir(const char *path, size_t *count)
{
	DIR *d = opendir(path);
	if (!d)
		return NULL;
	size_t n = 0, cap = 64;
	char **v = malloc(cap * sizeof *v);
	if (!v) {
		closedir(d);
		return NULL;
	}
	struct dirent *e;
	while ((e = readdir(d))) {
		if (e->d_name[0] == '.')
			continue;
		if (n == cap) {
			char **nv = realloc(v, (cap *= 2) * sizeof *v);
			if (!nv)
				break;   /* out of memory: walk what we have */
			v = nv;
		}
		v[n++] = strdup(e->d_name);
	}
	closedir(d);
	qsort(v, n, sizeof *v, cmp_str);
	*count = n;
	return v;
}

static int walk_dir(walk *w, const char *path, int depth, bool count_only);

static int walk_path(walk *w, const char *path, int depth, bool top, bool count_only)
{
	struct stat st;
	if (strcmp(path, "-") == 0)
		return count_only ? VD_OK : walk_file(w, path);
	if (stat(path, &st) != 0) {
		if (top)
			return vd_error_set(VD_EIO, "%s: %s", path, strerror(errno));
		char msg[300];
		snprintf(msg, sizeof msg, "cannot stat: %s", strerror(errno));
		bad(w, path, msg);
		return VD_OK;
	}
	if (S_ISDIR(st.st_mode))
		return walk_dir(w, path, depth, count_only);
	if (!S_ISREG(st.st_mode))
		return top ? vd_error_set(VD_EIO, "%s: not a regular file or directory", path) : VD_OK;
	if (count_only) {
		w->total += (uint64_t)st.st_size;
		return VD_OK;
	}
	return walk_file(w, path);
}

static int walk_dir(walk *w, const char *path, int depth, bool count_only)
{
	if (depth > MAX_DIR_DEPTH) {
		bad(w, path, "directory nesting deeper than 32 levels; skipped");
		return VD_OK;
	}
	size_t n = 0;
	char **names = list_dir(path, &n);
	if (!names) {
		char msg[300];
		snprintf(msg, sizeof msg, "cannot read directory: %s", strerror(errno));
		bad(w, path, msg);
		return VD_OK;
	}
	int rc = VD_OK;
	for (size_t i = 0; i < n; i++) {
		if (!names[i])
			continue;
		if (!rc) {
			char child[4096];
			snprintf(child, sizeof child, "%s/%s", path, names[i]);
			struct stat st;
			if (stat(child, &st) == 0 && (S_ISDIR(st.st_mode) || wanted_name(child) ||
			                              vd_str_has_suffix(child, ".zip") ||
			                              vd_str_has_suffix(child, ".tar.gz") ||
			                              vd_str_has_suffix(child, ".tgz")))
				rc = walk_path(w, child, depth + 1, false, count_only);
		}
		free(names[i]);
	}
	free(names);
	return rc;
}

int vd_input_walk(const char *path, const vd_input_sink *sink)
{
	walk w = {.sink = sink};
	int rc = walk_path(&w, path, 0, true, true);   /* sizes for progress */
	if (rc)
		return rc;
	return walk_path(&w, path, 0, true, false);
}
