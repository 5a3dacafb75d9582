/*
 * Data file lookup: $FAILPROOF_DATADIR, then the directory of the running
 * executable (a source tree), then the install prefix's share directory.
 */
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "paths.h"
#include "util.h"

static char exe_dir[PATH_MAX];

void
fp_paths_init(const char *argv0)
{
	char buf[PATH_MAX];
	ssize_t n;
	char *slash;

	(void)argv0;
	n = readlink("/proc/self/exe", buf, sizeof(buf) - 1);
	if (n <= 0)
		return;
	buf[n] = '\0';
	slash = strrchr(buf, '/');
	if (slash == NULL)
		return;
	*slash = '\0';
	/* build/failproof sits one level down, build/tests/test_* two. */
	if (strcmp(fp_basename(buf), "tests") == 0) {
		slash = strrchr(buf, '/');
		if (slash != NULL)
			*slash = '\0';
	}
	if (strcmp(fp_basename(buf), "build") == 0 ||
	    strncmp(fp_basename(buf), "build-", 6) == 0) {
		slash = strrchr(buf, '/');
		if (slash != NULL)
			*slash = '\0';
	}
	memcpy(exe_dir, buf, strlen(buf) + 1);
}

static char *
map_relative(const char *relative)
{
	/* In the source tree the rules live under importers/. */
	if (strncmp(relative, "rules", 5) == 0 &&
	    (relative[5] == '\0' || relative[5] == '/'))
		return xasprintf("importers/%s", relative);
	return xstrdup(relative);
}

char *
fp_data_path(const char *relative)
{
	const char *env = getenv("FAILPROOF_DATADIR");
	char *path, *tree_rel;

	tree_rel = map_relative(relative);
	/* $FAILPROOF_DATADIR may name an installed share folder or a tree. */
	if (env != NULL && *env != '\0') {
		path = xasprintf("%s/%s", env, relative);
		if (access(path, R_OK) == 0)
			goto found;
		free(path);
		path = xasprintf("%s/%s", env, tree_rel);
		if (access(path, R_OK) == 0)
			goto found;
		free(path);
	}

	if (exe_dir[0] == '\0')
		fp_paths_init(NULL);
	if (exe_dir[0] != '\0') {
		path = xasprintf("%s/%s", exe_dir, tree_rel);
		if (access(path, R_OK) == 0)
			goto found;
		free(path);
	}

	path = xasprintf("%s/%s", FP_DATADIR, relative);
	if (access(path, R_OK) == 0)
		goto found;
	free(path);
	free(tree_rel);
	fp_fail(FP_ENOTFOUND, "data file '%s' not found in $FAILPROOF_DATADIR, "
	    "beside the executable or in %s: reinstall failproof", relative,
	    FP_DATADIR);
	return NULL;
found:
	free(tree_rel);
	return path;
}
