/*
 * Signed PDF verification.
 *
 * poppler checks each CMS signature against the bytes its /ByteRange
 * names, but a valid signature proves nothing about bytes outside it.
 * An incremental update appended after signing keeps every signature valid
 * while it replaces what a viewer shows, so this module also reads the
 * file's revisions with the scanner in pdf_sign.h and requires:
 *
 *   - each /ByteRange starts at 0, leaves out exactly the signature's own
 *     /Contents string and ends where a revision ends (after "%%EOF");
 *   - the last signature ends at the end of the file;
 *   - every update after the first signed revision changes only what
 *     adding a signature needs: the catalog's /AcroForm (or /DSS), a
 *     page's /Annots, new signature fields with invisible widgets, and new
 *     objects that those reference.
 *
 * poppler reads the same bytes that the scanner reads, from memory, so the
 * file cannot change between the two checks.  Each signature is validated
 * in a child process (see validate_signature() for the poppler bug that
 * makes this necessary).
 */
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <openssl/cms.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/x509.h>
#include <poppler.h>

#include "pdf_sign.h"
#include "pdf_verify.h"
#include "util.h"

#define MAX_FIELD_DEPTH		16
#define MAX_PAGE_TREE_NODES	100000
#define MAX_PAGE_TREE_DEPTH	32

/* Bits of an annotation's /F entry. */
#define ANNOT_HIDDEN		2
#define ANNOT_PRINT		4
#define ANNOT_NO_VIEW		32

/* A signature as the scanner finds it in the last revision. */
struct found_sig {
	char *field;
	struct pdf_value contents;
	long long range[4];
	int has_range;
	char *name;			/* /Name */
	char *reason;			/* /Reason */
	size_t revision;		/* index of the revision it signs */
	char *problem;			/* why it cannot be accepted */
	int valid;
	int trusted;
	int revoked;
	char *signer;
	fp_time signed_at;
	const char *crypto_status;
	char cert_sha256[65];		/* "" when not found */
};

struct sig_list {
	size_t n;
	struct found_sig *v;
	size_t n_seen;
	long *seen;			/* visited fields and widgets */
};

/* The part an object plays in the document, for naming a change to it. */
enum role {
	ROLE_OTHER,
	ROLE_CATALOG,
	ROLE_INFO,
	ROLE_PAGE_TREE,
	ROLE_PAGE,
	ROLE_CONTENT,
	ROLE_RESOURCES,
	ROLE_ANNOTS,
	ROLE_ANNOTATION,
	ROLE_ACROFORM,
	ROLE_FIELDS,
	ROLE_FIELD,
};

struct role_entry {
	long num;
	enum role role;
	long owner;			/* the page of /Annots and content */
};

struct roles {
	size_t n;
	struct role_entry *v;
	size_t n_pages;
	long *pages;
	size_t visited;
};

static const char *
role_name(enum role role)
{
	switch (role) {
	case ROLE_CATALOG:
		return "document catalog";
	case ROLE_INFO:
		return "document information";
	case ROLE_PAGE_TREE:
		return "page tree";
	case ROLE_PAGE:
		return "page";
	case ROLE_CONTENT:
		return "page content";
	case ROLE_RESOURCES:
		return "page resources";
	case ROLE_ANNOTS:
		return "annotation list";
	case ROLE_ANNOTATION:
		return "annotation";
	case ROLE_ACROFORM:
		return "form dictionary";
	case ROLE_FIELDS:
		return "form field list";
	case ROLE_FIELD:
		return "form field";
	default:
		return NULL;
	}
}

static void
roles_add(struct roles *roles, long num, enum role role, long owner)
{
	size_t i;

	for (i = 0; i < roles->n; i++)
		if (roles->v[i].num == num)
			return;
	roles->v = xrealloc(roles->v, (roles->n + 1) * sizeof(*roles->v));
	roles->v[roles->n].num = num;
	roles->v[roles->n].role = role;
	roles->v[roles->n].owner = owner;
	roles->n++;
}

static const struct role_entry *
roles_find(const struct roles *roles, long num)
{
	size_t i;

	for (i = 0; i < roles->n; i++)
		if (roles->v[i].num == num)
			return &roles->v[i];
	return NULL;
}

static void
roles_release(struct roles *roles)
{
	free(roles->v);
	free(roles->pages);
	memset(roles, 0, sizeof(*roles));
}

/* Record the references of value (a reference or an array of them). */
static void
roles_add_refs(const struct pdf_file *pf, size_t rev, struct roles *roles,
    const struct pdf_value *value, enum role role, long owner)
{
	struct pdf_value array, item;
	struct pdf_ref ref;
	size_t pos = 0;

	if (value->kind == PDF_REF && pdf_value_ref(pf, value, &ref) == 0) {
		if (pdf_resolve(pf, rev, value, &array) == 0 &&
		    array.kind == PDF_ARRAY) {
			roles_add(roles, ref.num, role, owner);
			roles_add_refs(pf, rev, roles, &array, role, owner);
			return;
		}
		roles_add(roles, ref.num, role, owner);
		return;
	}
	if (value->kind != PDF_ARRAY)
		return;
	while (pdf_array_next(pf, value, &pos, &item) == 1)
		if (pdf_value_ref(pf, &item, &ref) == 0)
			roles_add(roles, ref.num, role, owner);
}

static int
dict_has_name(const struct pdf_file *pf, const struct pdf_value *dict,
    const char *key, const char *name)
{
	struct pdf_value v;

	return pdf_dict_get(pf, dict, key, &v) == 1 && v.kind == PDF_NAME &&
	    pdf_name_is(pf, &v, name);
}

static int
walk_pages(const struct pdf_file *pf, size_t rev, struct roles *roles,
    const struct pdf_value *node_ref, int depth)
{
	struct pdf_value node, kids, item, v;
	struct pdf_ref ref;
	size_t pos = 0;
	int rc;

	if (depth > MAX_PAGE_TREE_DEPTH ||
	    ++roles->visited > MAX_PAGE_TREE_NODES)
		return fp_fail(FP_EINVAL, "the page tree is deeper than %d "
		    "levels or has more than %d nodes", MAX_PAGE_TREE_DEPTH,
		    MAX_PAGE_TREE_NODES);
	if ((rc = pdf_value_ref(pf, node_ref, &ref)) != 0 ||
	    (rc = pdf_resolve(pf, rev, node_ref, &node)) != 0)
		return rc;
	if (node.kind != PDF_DICT)
		return fp_fail(FP_EINVAL, "page tree node %ld is not a "
		    "dictionary", ref.num);

	if (!dict_has_name(pf, &node, "Type", "Page")) {
		roles_add(roles, ref.num, ROLE_PAGE_TREE, 0);
		if ((rc = pdf_dict_get(pf, &node, "Kids", &v)) != 1)
			return rc;
		if ((rc = pdf_resolve(pf, rev, &v, &kids)) != 0)
			return rc;
		while ((rc = pdf_array_next(pf, &kids, &pos, &item)) == 1)
			if ((rc = walk_pages(pf, rev, roles, &item,
			    depth + 1)) != 0)
				return rc;
		return rc;
	}

	roles_add(roles, ref.num, ROLE_PAGE, 0);
	roles->pages = xrealloc(roles->pages,
	    (roles->n_pages + 1) * sizeof(*roles->pages));
	roles->pages[roles->n_pages++] = ref.num;
	if (pdf_dict_get(pf, &node, "Contents", &v) == 1)
		roles_add_refs(pf, rev, roles, &v, ROLE_CONTENT, ref.num);
	if (pdf_dict_get(pf, &node, "Resources", &v) == 1 &&
	    v.kind == PDF_REF)
		roles_add_refs(pf, rev, roles, &v, ROLE_RESOURCES, ref.num);
	if (pdf_dict_get(pf, &node, "Annots", &v) == 1) {
		struct pdf_value annots;

		if (v.kind == PDF_REF && pdf_value_ref(pf, &v, &ref) == 0)
			roles_add(roles, ref.num, ROLE_ANNOTS, roles->pages[
			    roles->n_pages - 1]);
		if (pdf_resolve(pf, rev, &v, &annots) == 0)
			roles_add_refs(pf, rev, roles, &annots,
			    ROLE_ANNOTATION, roles->pages[roles->n_pages - 1]);
	}
	return 0;
}

/* Name what each object of revision rev is to the document. */
static int
roles_load(const struct pdf_file *pf, size_t rev, struct roles *roles)
{
	const struct pdf_revision *r = &pf->revisions[rev];
	struct pdf_value catalog, v, form;
	struct pdf_ref ref;
	int rc;

	memset(roles, 0, sizeof(*roles));
	roles_add(roles, r->root.num, ROLE_CATALOG, 0);
	if (r->info.num > 0)
		roles_add(roles, r->info.num, ROLE_INFO, 0);
	{
		struct pdf_object obj;

		if ((rc = pdf_object_find(pf, rev, r->root.num, &obj)) != 0)
			return fp_fail_context(rc, "document catalog");
		catalog = obj.value;
	}
	if (catalog.kind != PDF_DICT)
		return fp_fail(FP_EINVAL, "the document catalog is not a "
		    "dictionary");
	if ((rc = pdf_dict_get(pf, &catalog, "Pages", &v)) != 1)
		return rc < 0 ? rc : fp_fail(FP_EINVAL, "the catalog has no "
		    "/Pages");
	if ((rc = walk_pages(pf, rev, roles, &v, 0)) != 0)
		return rc;
	if (pdf_dict_get(pf, &catalog, "AcroForm", &v) == 1) {
		if (v.kind == PDF_REF && pdf_value_ref(pf, &v, &ref) == 0)
			roles_add(roles, ref.num, ROLE_ACROFORM, 0);
		if (pdf_resolve(pf, rev, &v, &form) == 0 &&
		    form.kind == PDF_DICT &&
		    pdf_dict_get(pf, &form, "Fields", &v) == 1) {
			if (v.kind == PDF_REF &&
			    pdf_value_ref(pf, &v, &ref) == 0)
				roles_add(roles, ref.num, ROLE_FIELDS, 0);
			if (pdf_resolve(pf, rev, &v, &form) == 0)
				roles_add_refs(pf, rev, roles, &form,
				    ROLE_FIELD, 0);
		}
	}
	return 0;
}

/* ---- checking one incremental update --------------------------------- */

struct update_check {
	const struct pdf_file *pf;
	size_t rev;			/* the update */
	size_t prev;			/* the revision before it */
	struct fp_buf *problems;
	size_t n_problems;
};

static void
problem(struct update_check *uc, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static void
problem(struct update_check *uc, const char *fmt, ...)
{
	va_list ap;

	if (uc->n_problems++ > 0)
		fp_buf_puts(uc->problems, ", ");
	va_start(ap, fmt);
	fp_buf_vprintf(uc->problems, fmt, ap);
	va_end(ap);
}

static char *
name_text(const struct pdf_file *pf, const struct pdf_value *name)
{
	struct fp_buf b = { 0 };
	size_t i;

	fp_buf_puts(&b, "");
	for (i = name->start + 1; i < name->end; i++) {
		unsigned char c = (unsigned char)pf->data[i];

		/* keep names printable in messages */
		if (c < 0x21 || c > 0x7e)
			fp_buf_printf(&b, "#%02X", c);
		else
			fp_buf_append(&b, &c, 1);
	}
	return fp_buf_detach(&b);
}

/*
 * Report every key whose value differs between the dictionaries old (from
 * the previous revision) and new, except the keys in skip.  Either may be
 * a PDF_NULL value, read as an empty dictionary.
 */
static void
compare_entries(struct update_check *uc, const struct pdf_value *old,
    const struct pdf_value *new, const char *const *skip,
    const char *container)
{
	const struct pdf_file *pf = uc->pf;
	const struct pdf_value *sides[2] = { old, new };
	struct pdf_value key, value, other;
	size_t pos, i;
	int side, rc;

	for (side = 0; side < 2; side++) {
		if (sides[side]->kind != PDF_DICT)
			continue;
		pos = 0;
		while (pdf_dict_next(pf, sides[side], &pos, &key,
		    &value) == 1) {
			char *k = name_text(pf, &key);

			for (i = 0; skip[i] != NULL; i++)
				if (pdf_name_is(pf, &key, skip[i]))
					break;
			if (skip[i] != NULL) {
				free(k);
				continue;
			}
			rc = sides[1 - side]->kind == PDF_DICT ?
			    pdf_dict_get(pf, sides[1 - side], k, &other) : 0;
			if (rc < 0)
				problem(uc, "repeats /%s in the %s", k,
				    container);
			else if (rc == 0 && side == 0)
				problem(uc, "removes /%s from the %s", k,
				    container);
			else if (rc == 0)
				problem(uc, "adds /%s to the %s", k,
				    container);
			else if (side == 0 && !pdf_value_same(pf, &value,
			    &other))
				problem(uc, "changes /%s in the %s", k,
				    container);
			free(k);
		}
	}
}

/* Items of an array value, or of the array a reference points to. */
static size_t
list_items(const struct pdf_file *pf, size_t rev, const struct pdf_value *v,
    struct pdf_value **items)
{
	struct pdf_value array, item;
	size_t pos = 0, n = 0;

	*items = NULL;
	if (v->kind == PDF_NULL || pdf_resolve(pf, rev, v, &array) != 0 ||
	    array.kind != PDF_ARRAY)
		return 0;
	while (pdf_array_next(pf, &array, &pos, &item) == 1) {
		*items = xrealloc(*items, (n + 1) * sizeof(**items));
		(*items)[n++] = item;
	}
	return n;
}

static int
is_signature_field(const struct pdf_file *pf, size_t rev,
    const struct pdf_value *dict)
{
	struct pdf_value parent, pdict;

	if (dict_has_name(pf, dict, "FT", "Sig"))
		return 1;
	if (pdf_dict_get(pf, dict, "FT", &parent) == 1)
		return 0;
	return pdf_dict_get(pf, dict, "Parent", &parent) == 1 &&
	    pdf_resolve(pf, rev, &parent, &pdict) == 0 &&
	    pdict.kind == PDF_DICT && dict_has_name(pf, &pdict, "FT", "Sig");
}

/* A widget of a signature field that a viewer does not draw. */
static int
is_invisible_signature_widget(const struct pdf_file *pf, size_t rev,
    const struct pdf_value *item)
{
	struct pdf_value dict, rect, v;
	double c[4];
	long long flags = 0;
	size_t pos = 0;
	int i;

	if (item->kind != PDF_REF || pdf_resolve(pf, rev, item, &dict) != 0 ||
	    dict.kind != PDF_DICT ||
	    !dict_has_name(pf, &dict, "Subtype", "Widget") ||
	    !is_signature_field(pf, rev, &dict))
		return 0;
	if (pdf_dict_get(pf, &dict, "F", &v) == 1 &&
	    pdf_value_long(pf, &v, &flags) == 0 &&
	    ((flags & ANNOT_HIDDEN) ||
	    ((flags & ANNOT_NO_VIEW) && !(flags & ANNOT_PRINT))))
		return 1;
	if (pdf_dict_get(pf, &dict, "Rect", &v) != 1 ||
	    pdf_resolve(pf, rev, &v, &rect) != 0 || rect.kind != PDF_ARRAY)
		return 0;
	for (i = 0; i < 4; i++)
		if (pdf_array_next(pf, &rect, &pos, &v) != 1 ||
		    pdf_value_real(pf, &v, &c[i]) != 0)
			return 0;
	return fabs(c[2] - c[0]) < 1e-6 || fabs(c[3] - c[1]) < 1e-6;
}

/*
 * Require that the new list keeps every old item and that each added item
 * passes accept().  Each breach becomes a problem.
 */
static void
compare_lists(struct update_check *uc, const struct pdf_value *old,
    const struct pdf_value *new, int (*accept)(const struct pdf_file *,
    size_t, const struct pdf_value *), const char *container,
    const char *rule)
{
	const struct pdf_file *pf = uc->pf;
	struct pdf_value *a, *b;
	size_t na, nb, i, j;
	struct pdf_ref ref;

	na = list_items(pf, uc->prev, old, &a);
	nb = list_items(pf, uc->rev, new, &b);
	for (i = 0; i < na; i++) {
		for (j = 0; j < nb; j++)
			if (pdf_value_same(pf, &a[i], &b[j]))
				break;
		if (j == nb)
			problem(uc, "removes an entry from the %s",
			    container);
	}
	for (j = 0; j < nb; j++) {
		for (i = 0; i < na; i++)
			if (pdf_value_same(pf, &a[i], &b[j]))
				break;
		if (i < na || accept(pf, uc->rev, &b[j]))
			continue;
		if (pdf_value_ref(pf, &b[j], &ref) == 0)
			problem(uc, "adds object %ld to the %s, which is %s",
			    ref.num, container, rule);
		else
			problem(uc, "adds a direct object to the %s, which is "
			    "%s", container, rule);
	}
	free(a);
	free(b);
}

static int
accept_signature_field(const struct pdf_file *pf, size_t rev,
    const struct pdf_value *item)
{
	struct pdf_value dict;

	return item->kind == PDF_REF &&
	    pdf_resolve(pf, rev, item, &dict) == 0 &&
	    dict.kind == PDF_DICT && is_signature_field(pf, rev, &dict);
}

static int
lookup_object(const struct pdf_file *pf, size_t rev, long num,
    struct pdf_value *out)
{
	struct pdf_object obj;
	int rc;

	if ((rc = pdf_object_find(pf, rev, num, &obj)) != 0)
		return rc;
	*out = obj.value;
	return 0;
}

static void
check_page(struct update_check *uc, long num)
{
	static const char *const skip[] = { "Annots", NULL };
	const struct pdf_file *pf = uc->pf;
	struct pdf_value old, new, old_annots = { PDF_NULL, 0, 0 },
	    new_annots = { PDF_NULL, 0, 0 };
	char *container;

	if (lookup_object(pf, uc->prev, num, &old) != 0 ||
	    lookup_object(pf, uc->rev, num, &new) != 0 ||
	    old.kind != PDF_DICT || new.kind != PDF_DICT) {
		problem(uc, "replaces page %ld with an unreadable object", num);
		return;
	}
	container = xasprintf("page object %ld", num);
	compare_entries(uc, &old, &new, skip, container);
	pdf_dict_get(pf, &old, "Annots", &old_annots);
	pdf_dict_get(pf, &new, "Annots", &new_annots);
	compare_lists(uc, &old_annots, &new_annots,
	    is_invisible_signature_widget, container,
	    "not an invisible signature widget");
	free(container);
}

static void
check_catalog(struct update_check *uc)
{
	static const char *const catalog_skip[] = { "AcroForm", "DSS", NULL };
	static const char *const form_skip[] = { "Fields", "SigFlags", NULL };
	const struct pdf_file *pf = uc->pf;
	long num = pf->revisions[uc->rev].root.num;
	struct pdf_value old, new, v, none = { PDF_NULL, 0, 0 };
	struct pdf_value old_form = none, new_form = none;
	struct pdf_value old_fields = none, new_fields = none;

	if (lookup_object(pf, uc->prev, num, &old) != 0 ||
	    lookup_object(pf, uc->rev, num, &new) != 0 ||
	    old.kind != PDF_DICT || new.kind != PDF_DICT) {
		problem(uc, "replaces the document catalog with an unreadable "
		    "object");
		return;
	}
	compare_entries(uc, &old, &new, catalog_skip, "document catalog");
	if (pdf_dict_get(pf, &old, "AcroForm", &v) == 1 &&
	    pdf_resolve(pf, uc->prev, &v, &old_form) != 0)
		old_form = none;
	if (pdf_dict_get(pf, &new, "AcroForm", &v) == 1 &&
	    pdf_resolve(pf, uc->rev, &v, &new_form) != 0)
		new_form = none;
	compare_entries(uc, &old_form, &new_form, form_skip,
	    "form dictionary");
	if (old_form.kind == PDF_DICT)
		pdf_dict_get(pf, &old_form, "Fields", &old_fields);
	if (new_form.kind == PDF_DICT)
		pdf_dict_get(pf, &new_form, "Fields", &new_fields);
	compare_lists(uc, &old_fields, &new_fields, accept_signature_field,
	    "form field list", "not a signature field");
}

/* "a /Font dictionary", "a stream" or "an object", for other objects. */
static char *
describe_object(const struct pdf_file *pf, size_t rev, long num)
{
	struct pdf_object obj;
	struct pdf_value type;

	if (pdf_object_find(pf, rev, num, &obj) != 0)
		return xstrdup("an unreadable object");
	if (obj.value.kind == PDF_DICT &&
	    pdf_dict_get(pf, &obj.value, "Type", &type) == 1 &&
	    type.kind == PDF_NAME) {
		char *name = name_text(pf, &type);
		char *s = xasprintf("a /%s %s", name, obj.is_stream ? "stream" :
		    "dictionary");

		free(name);
		return s;
	}
	return xstrdup(obj.is_stream ? "a stream" : "an object");
}

/*
 * List in problems what update rev changes beyond adding a signature.
 * Returns the number of problems found, or a negative code when the
 * revision before it cannot be read.
 */
static int
check_update(const struct pdf_file *pf, size_t rev, struct fp_buf *problems)
{
	const struct pdf_revision *r = &pf->revisions[rev];
	const struct pdf_revision *p = &pf->revisions[rev - 1];
	struct update_check uc = { pf, rev, rev - 1, problems, 0 };
	struct pdf_value dummy;
	struct roles roles;
	long *pages = NULL;
	size_t n_pages = 0, i, k;
	int need_catalog = 0, rc;

	if ((rc = roles_load(pf, rev - 1, &roles)) != 0) {
		roles_release(&roles);
		return rc;
	}
	if (r->root.num != p->root.num || r->root.gen != p->root.gen)
		problem(&uc, "replaces the document catalog");
	if (r->info.num != p->info.num || r->info.gen != p->info.gen)
		problem(&uc, "replaces the document information");

	for (i = 0; i < r->n_entries; i++) {
		const struct pdf_xref_entry *e = &r->entries[i];
		const struct role_entry *role;
		long page = 0;

		if (e->num == 0)
			continue;
		/* A new object is judged where an allowed change uses it. */
		if (lookup_object(pf, rev - 1, e->num, &dummy) != 0)
			continue;
		if (!e->in_use) {
			problem(&uc, "deletes object %ld", e->num);
			continue;
		}
		role = roles_find(&roles, e->num);
		switch (role ? role->role : ROLE_OTHER) {
		case ROLE_CATALOG:
		case ROLE_ACROFORM:
		case ROLE_FIELDS:
			need_catalog = 1;
			continue;
		case ROLE_PAGE:
			page = e->num;
			break;
		case ROLE_ANNOTS:
			page = role->owner;
			break;
		default:
			if (role != NULL && role->owner != 0) {
				problem(&uc, "changes object %ld (%s of page "
				    "object %ld)", e->num,
				    role_name(role->role), role->owner);
			} else if (role != NULL) {
				problem(&uc, "changes object %ld (%s)", e->num,
				    role_name(role->role));
			} else {
				char *kind = describe_object(pf, rev - 1,
				    e->num);

				problem(&uc, "changes object %ld (%s)", e->num,
				    kind);
				free(kind);
			}
			continue;
		}
		for (k = 0; k < n_pages; k++)
			if (pages[k] == page)
				break;
		if (k == n_pages) {
			pages = xrealloc(pages, (n_pages + 1) * sizeof(*pages));
			pages[n_pages++] = page;
		}
	}
	if (need_catalog)
		check_catalog(&uc);
	for (k = 0; k < n_pages; k++)
		check_page(&uc, pages[k]);

	free(pages);
	roles_release(&roles);
	return (int)uc.n_problems;
}

/* ---- finding the signatures ----------------------------------------- */

static int
sig_seen(struct sig_list *list, long num)
{
	size_t i;

	if (num == 0)
		return 0;
	for (i = 0; i < list->n_seen; i++)
		if (list->seen[i] == num)
			return 1;
	list->seen = xrealloc(list->seen, (list->n_seen + 1) *
	    sizeof(*list->seen));
	list->seen[list->n_seen++] = num;
	return 0;
}

static void
sig_list_release(struct sig_list *list)
{
	size_t i;

	for (i = 0; i < list->n; i++) {
		free(list->v[i].field);
		free(list->v[i].name);
		free(list->v[i].reason);
		free(list->v[i].problem);
		free(list->v[i].signer);
	}
	free(list->v);
	free(list->seen);
	memset(list, 0, sizeof(*list));
}

/* Length of the DER value at the start of der, or 0 when it is not one. */
static size_t
der_length(const unsigned char *der, size_t len)
{
	size_t n, body = 0, i;

	if (len < 2 || der[0] != 0x30)
		return 0;
	if (der[1] < 0x80)
		body = der[1];
	else {
		n = der[1] & 0x7f;
		if (n == 0 || n > 4 || len < 2 + n)
			return 0;
		for (i = 0; i < n; i++)
			body = body << 8 | der[2 + i];
		body += n;
	}
	return 2 + body <= len ? 2 + body : 0;
}

/*
 * Check the /Contents of a signature: hex digits only, spelling a DER CMS
 * value followed by zero padding.  These bytes lie outside the signed
 * range, so a change there would otherwise go unnoticed.  Record the
 * SHA-256 fingerprint of the signer's certificate, which the CMS carries
 * unsigned, so that a caller who knows the expected signer can compare.
 */
static void
check_contents(const struct pdf_file *pf, struct found_sig *s)
{
	const unsigned char *p;
	unsigned char *der;
	CMS_ContentInfo *cms = NULL;
	STACK_OF(CMS_SignerInfo) *infos;
	STACK_OF(X509) *certs = NULL;
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned md_len = 0;
	size_t len, used, i;
	int k;

	for (i = s->contents.start + 1; i + 1 < s->contents.end; i++) {
		if (!isxdigit((unsigned char)pf->data[i])) {
			s->problem = xasprintf("its /Contents has a character "
			    "other than a hex digit at offset %zu", i);
			return;
		}
	}
	der = (unsigned char *)pdf_string_bytes(pf, &s->contents, &len);
	used = der_length(der, len);
	if (used == 0) {
		s->problem = xstrdup("its /Contents does not start with a DER "
		    "CMS value");
		goto out;
	}
	for (i = used; i < len; i++) {
		if (der[i] != 0) {
			s->problem = xasprintf("its /Contents has a non-zero "
			    "byte at position %zu of the padding after the CMS "
			    "value", i - used);
			goto out;
		}
	}

	p = der;
	cms = d2i_CMS_ContentInfo(NULL, &p, (long)used);
	infos = cms ? CMS_get0_SignerInfos(cms) : NULL;
	certs = cms ? CMS_get1_certs(cms) : NULL;
	if (infos == NULL || sk_CMS_SignerInfo_num(infos) != 1 ||
	    certs == NULL)
		goto out;
	for (k = 0; k < sk_X509_num(certs); k++) {
		X509 *cert = sk_X509_value(certs, k);

		if (CMS_SignerInfo_cert_cmp(sk_CMS_SignerInfo_value(infos, 0),
		    cert) == 0 &&
		    X509_digest(cert, EVP_sha256(), md, &md_len) == 1)
			break;
	}
	for (i = 0; i < md_len && i < 32; i++)
		snprintf(s->cert_sha256 + 2 * i, 3, "%02x", md[i]);

out:
	ERR_clear_error();
	sk_X509_pop_free(certs, X509_free);
	CMS_ContentInfo_free(cms);
	free(der);
}

/* Read the signature dictionary v of a field named field. */
static void
add_signature(const struct pdf_file *pf, size_t rev, struct sig_list *list,
    const char *field, const struct pdf_value *v)
{
	struct found_sig *s;
	struct pdf_value dict, value, item;
	size_t pos = 0;
	int i;

	list->v = xrealloc(list->v, (list->n + 1) * sizeof(*list->v));
	s = &list->v[list->n++];
	memset(s, 0, sizeof(*s));
	s->field = xstrdup(field);
	s->revision = SIZE_MAX;
	s->signed_at = FP_TIME_NONE;

	if (pdf_resolve(pf, rev, v, &dict) != 0) {
		s->problem = xasprintf("its signature dictionary cannot be "
		    "read: %s", fp_errmsg());
		return;
	}
	if (dict.kind != PDF_DICT) {
		s->problem = xstrdup("its /V is not a signature dictionary");
		return;
	}
	if (pdf_dict_get(pf, &dict, "Name", &value) == 1)
		s->name = pdf_text_string(pf, &value);
	if (pdf_dict_get(pf, &dict, "Reason", &value) == 1)
		s->reason = pdf_text_string(pf, &value);
	if (pdf_dict_get(pf, &dict, "Contents", &s->contents) != 1 ||
	    s->contents.kind != PDF_HEX_STRING) {
		s->problem = xstrdup("its /Contents is not a hex string");
		return;
	}
	if (pdf_dict_get(pf, &dict, "ByteRange", &value) != 1 ||
	    value.kind != PDF_ARRAY) {
		s->problem = xstrdup("it has no /ByteRange array");
		return;
	}
	for (i = 0; i < 4; i++) {
		/* bounded, so that sums of two entries cannot overflow */
		if (pdf_array_next(pf, &value, &pos, &item) != 1 ||
		    pdf_value_long(pf, &item, &s->range[i]) != 0 ||
		    s->range[i] < 0 ||
		    s->range[i] > (long long)PDF_MAX_FILE_SIZE) {
			s->problem = xstrdup("its /ByteRange is not four "
			    "integers between 0 and the maximum file size");
			return;
		}
	}
	if (pdf_array_next(pf, &value, &pos, &item) != 0) {
		s->problem = xstrdup("its /ByteRange has more than four "
		    "numbers");
		return;
	}
	s->has_range = 1;
	check_contents(pf, s);
}

/* Visit a form field and its descendants, collecting signed signatures. */
static int
visit_field(const struct pdf_file *pf, size_t rev, struct sig_list *list,
    const struct pdf_value *item, const char *parent_name, int parent_sig,
    int depth)
{
	struct pdf_value dict, v, kids, kid, kid_dict;
	struct pdf_ref ref = { 0, 0 };
	char *partial = NULL, *full;
	size_t pos = 0;
	int is_sig = parent_sig, rc = 0;

	if (depth > MAX_FIELD_DEPTH)
		return fp_fail(FP_EINVAL, "form fields nested deeper than %d "
		    "levels", MAX_FIELD_DEPTH);
	if (item->kind == PDF_REF && pdf_value_ref(pf, item, &ref) != 0)
		return 0;
	if (sig_seen(list, ref.num))
		return 0;
	if (pdf_resolve(pf, rev, item, &dict) != 0 || dict.kind != PDF_DICT)
		return 0;
	if (pdf_dict_get(pf, &dict, "FT", &v) == 1 && v.kind == PDF_NAME)
		is_sig = pdf_name_is(pf, &v, "Sig");
	if (pdf_dict_get(pf, &dict, "T", &v) == 1)
		partial = pdf_text_string(pf, &v);
	if (parent_name != NULL && partial != NULL)
		full = xasprintf("%s.%s", parent_name, partial);
	else
		full = xstrdup(partial ? partial :
		    parent_name ? parent_name : "");

	if (pdf_dict_get(pf, &dict, "Kids", &v) == 1 &&
	    pdf_resolve(pf, rev, &v, &kids) == 0 && kids.kind == PDF_ARRAY) {
		while (pdf_array_next(pf, &kids, &pos, &kid) == 1) {
			struct pdf_value t;
			struct pdf_ref kid_ref;

			if (pdf_resolve(pf, rev, &kid, &kid_dict) != 0 ||
			    kid_dict.kind != PDF_DICT)
				continue;
			if (pdf_dict_get(pf, &kid_dict, "T", &t) == 1) {
				rc = visit_field(pf, rev, list, &kid, full,
				    is_sig, depth + 1);
				if (rc != 0)
					break;
			} else if (pdf_value_ref(pf, &kid, &kid_ref) == 0) {
				/* a widget, not a field */
				sig_seen(list, kid_ref.num);
			}
		}
	}
	if (rc == 0 && is_sig && pdf_dict_get(pf, &dict, "V", &v) == 1 &&
	    v.kind != PDF_NULL)
		add_signature(pf, rev, list, full, &v);
	free(partial);
	free(full);
	return rc;
}

/*
 * Collect the signatures of the last revision as poppler finds them: the
 * AcroForm's fields first, then signature widgets on pages that no field
 * lists.
 */
static int
find_signatures(const struct pdf_file *pf, struct sig_list *list)
{
	size_t rev = pf->n_revisions - 1, pos, i;
	struct pdf_value catalog, v, form, fields, item, annots, dict, parent;
	struct roles roles;
	struct pdf_object obj;
	int rc;

	if ((rc = pdf_object_find(pf, rev, pf->revisions[rev].root.num, &obj))
	    != 0)
		return fp_fail_context(rc, "document catalog");
	catalog = obj.value;
	if (catalog.kind == PDF_DICT &&
	    pdf_dict_get(pf, &catalog, "AcroForm", &v) == 1 &&
	    pdf_resolve(pf, rev, &v, &form) == 0 && form.kind == PDF_DICT &&
	    pdf_dict_get(pf, &form, "Fields", &v) == 1 &&
	    pdf_resolve(pf, rev, &v, &fields) == 0 &&
	    fields.kind == PDF_ARRAY) {
		pos = 0;
		while (pdf_array_next(pf, &fields, &pos, &item) == 1)
			if ((rc = visit_field(pf, rev, list, &item, NULL, 0, 0))
			    != 0)
				return rc;
	}

	if ((rc = roles_load(pf, rev, &roles)) != 0) {
		roles_release(&roles);
		return rc;
	}
	for (i = 0; i < roles.n_pages && rc == 0; i++) {
		if (lookup_object(pf, rev, roles.pages[i], &dict) != 0 ||
		    pdf_dict_get(pf, &dict, "Annots", &v) != 1 ||
		    pdf_resolve(pf, rev, &v, &annots) != 0 ||
		    annots.kind != PDF_ARRAY)
			continue;
		pos = 0;
		while (rc == 0 &&
		    pdf_array_next(pf, &annots, &pos, &item) == 1) {
			if (pdf_resolve(pf, rev, &item, &dict) != 0 ||
			    dict.kind != PDF_DICT ||
			    !dict_has_name(pf, &dict, "Subtype", "Widget") ||
			    !is_signature_field(pf, rev, &dict))
				continue;
			if (pdf_dict_get(pf, &dict, "Parent", &parent) == 1)
				rc = visit_field(pf, rev, list, &parent, NULL,
				    0, 0);
			else
				rc = visit_field(pf, rev, list, &item, NULL, 0,
				    0);
		}
	}
	roles_release(&roles);
	return rc;
}

/* Check that a signature's byte range frames its own /Contents and ends
 * where a revision ends. */
static void
check_byte_range(const struct pdf_file *pf, struct found_sig *s)
{
	size_t i;
	long long end;

	if (!s->has_range)
		return;
	if (s->range[1] > (long long)pf->len ||
	    s->range[2] > (long long)pf->len ||
	    s->range[3] > (long long)pf->len) {
		s->problem = xasprintf("its /ByteRange reaches past the end of "
		    "the file (%zu bytes)", pf->len);
		return;
	}
	end = s->range[2] + s->range[3];
	if (s->range[0] != 0) {
		s->problem = xasprintf("its /ByteRange starts at byte %lld, "
		    "not 0", s->range[0]);
	} else if ((size_t)s->range[1] != s->contents.start ||
	    (size_t)s->range[2] != s->contents.end) {
		s->problem = xasprintf("its /ByteRange leaves out bytes "
		    "%lld-%lld, not its own /Contents at %zu-%zu",
		    s->range[1], s->range[2] - 1, s->contents.start,
		    s->contents.end - 1);
	} else if (end > (long long)pf->len) {
		s->problem = xasprintf("its /ByteRange ends at byte %lld, past "
		    "the end of the file (%zu bytes)", end, pf->len);
	} else {
		for (i = 0; i < pf->n_revisions; i++)
			if ((long long)pf->revisions[i].end == end)
				s->revision = i;
		if (s->revision == SIZE_MAX)
			s->problem = xasprintf("its signed bytes end at offset "
			    "%lld, which is not the end of a revision", end);
	}
}

static int
compare_by_end(const void *a, const void *b)
{
	const struct found_sig *x = a, *y = b;
	long long ex = x->has_range ? x->range[2] + x->range[3] : LLONG_MAX;
	long long ey = y->has_range ? y->range[2] + y->range[3] : LLONG_MAX;

	return (ex > ey) - (ex < ey);
}

/* ---- poppler ---------------------------------------------------------- */

/*
 * The result a validation process writes to its pipe.  The struct crosses
 * a fork of the same executable, so its layout is the same on both sides.
 */
struct validation_report {
	int opened;			/* poppler could open the file */
	int hits;			/* signature fields with the name */
	int validated;			/* poppler returned a result */
	int signature_status;		/* PopplerSignatureStatus */
	int certificate_status;		/* PopplerCertificateStatus */
	int has_time;
	int64_t signed_at;
	char signer[256];
	char error[256];
};

static const char *
signature_status_text(int status)
{
	switch (status) {
	case POPPLER_SIGNATURE_VALID:
		return NULL;
	case POPPLER_SIGNATURE_DIGEST_MISMATCH:
		return "the signed bytes changed";
	case POPPLER_SIGNATURE_INVALID:
		return "the signature value is cryptographically invalid";
	case POPPLER_SIGNATURE_DECODING_ERROR:
		return "its CMS structure cannot be decoded";
	case POPPLER_SIGNATURE_NOT_FOUND:
		return "poppler finds no signature in the field";
	default:
		return "poppler could not verify it";
	}
}

/* In the child: validate the one signature field named field. */
static void
validate_in_child(const char *data, size_t len, const char *field,
    struct validation_report *rep)
{
	PopplerDocument *doc;
	PopplerFormField *match = NULL;
	PopplerSignatureInfo *info;
	GBytes *bytes;
	GError *error = NULL;
	GList *fields, *l;
	GDateTime *when;
	const gchar *signer;

	bytes = g_bytes_new_static(data, len);
	doc = poppler_document_new_from_bytes(bytes, NULL, &error);
	if (doc == NULL) {
		snprintf(rep->error, sizeof(rep->error), "%s",
		    error ? error->message : "unknown error");
		return;
	}
	rep->opened = 1;
	fields = poppler_document_get_signature_fields(doc);
	for (l = fields; l != NULL; l = l->next) {
		gchar *name = poppler_form_field_get_name(l->data);

		if (name != NULL && strcmp(name, field) == 0) {
			match = l->data;
			rep->hits++;
		}
		g_free(name);
	}
	if (rep->hits != 1)
		return;

	info = poppler_form_field_signature_validate_sync(match,
	    POPPLER_SIGNATURE_VALIDATION_FLAG_VALIDATE_CERTIFICATE |
	    POPPLER_SIGNATURE_VALIDATION_FLAG_WITHOUT_OCSP_REVOCATION_CHECK,
	    NULL, &error);
	if (info == NULL)
		return;
	rep->validated = 1;
	rep->signature_status =
	    poppler_signature_info_get_signature_status(info);
	rep->certificate_status =
	    poppler_signature_info_get_certificate_status(info);
	signer = poppler_signature_info_get_signer_name(info);
	if (signer != NULL)
		snprintf(rep->signer, sizeof(rep->signer), "%s", signer);
	when = poppler_signature_info_get_local_signing_time(info);
	if (when != NULL) {
		rep->has_time = 1;
		rep->signed_at = g_date_time_to_unix(when) * 1000000 +
		    g_date_time_get_microsecond(when);
	}
}

/*
 * Validate one signature with poppler in a child process.
 *
 * NOTE: poppler 22.12 (Debian 12) reads freed memory when one process
 * validates the same certificate twice.  ~SignatureHandler frees the CMS
 * arena that NSS's temporary certificate still points into, and the next
 * CERT_NewTempCertificate compares against it.  valgrind shows the same in
 * the stock pdfsig.  A child that validates one signature and exits never
 * reaches the second lookup.
 */
static int
validate_signature(const char *data, size_t len, struct found_sig *s)
{
	struct validation_report rep;
	size_t got = 0;
	ssize_t n;
	pid_t pid;
	int fds[2], status;

	memset(&rep, 0, sizeof(rep));
	if (pipe(fds) != 0)
		return fp_fail(FP_EIO, "cannot create a pipe: %s",
		    strerror(errno));
	pid = fork();
	if (pid < 0) {
		close(fds[0]);
		close(fds[1]);
		return fp_fail(FP_EIO, "cannot fork: %s", strerror(errno));
	}
	if (pid == 0) {
		/* poppler and GLib report syntax errors on stderr: silence */
		int null = open("/dev/null", O_WRONLY);

		if (null >= 0)
			dup2(null, STDERR_FILENO);
		close(fds[0]);
		validate_in_child(data, len, s->field, &rep);
		while (got < sizeof(rep)) {
			n = write(fds[1], (char *)&rep + got,
			    sizeof(rep) - got);
			if (n < 0 && errno == EINTR)
				continue;
			if (n <= 0)
				_exit(1);
			got += (size_t)n;
		}
		_exit(0);
	}

	close(fds[1]);
	while (got < sizeof(rep)) {
		n = read(fds[0], (char *)&rep + got, sizeof(rep) - got);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		got += (size_t)n;
	}
	close(fds[0]);
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;

	if (got != sizeof(rep)) {
		s->crypto_status = "the poppler validation process failed";
		return 0;
	}
	rep.signer[sizeof(rep.signer) - 1] = '\0';
	rep.error[sizeof(rep.error) - 1] = '\0';
	if (!rep.opened)
		return fp_fail(FP_EINVAL, "poppler cannot open the PDF: %s",
		    rep.error);
	if (rep.hits == 0) {
		s->crypto_status = "poppler does not list this signature field";
		return 0;
	}
	if (rep.hits > 1) {
		s->crypto_status = "several signature fields have this name";
		return 0;
	}
	if (!rep.validated) {
		s->crypto_status = "poppler could not verify it";
		return 0;
	}
	s->crypto_status = signature_status_text(rep.signature_status);
	s->valid = s->crypto_status == NULL;
	s->trusted = rep.certificate_status == POPPLER_CERTIFICATE_TRUSTED;
	s->revoked = rep.certificate_status == POPPLER_CERTIFICATE_REVOKED;
	if (rep.signer[0] != '\0')
		s->signer = xstrdup(rep.signer);
	if (rep.has_time)
		s->signed_at = rep.signed_at;
	return 0;
}

/* The /Keywords of the last revision's document information. */
static char *
read_keywords(const struct pdf_file *pf)
{
	size_t rev = pf->n_revisions - 1;
	struct pdf_value info, v;

	if (pf->revisions[rev].info.num == 0 ||
	    lookup_object(pf, rev, pf->revisions[rev].info.num, &info) != 0 ||
	    info.kind != PDF_DICT ||
	    pdf_dict_get(pf, &info, "Keywords", &v) != 1)
		return NULL;
	return pdf_text_string(pf, &v);
}

/* ---- the verdict ------------------------------------------------------ */

static void
add_cause(struct fp_buf *msg, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static void
add_cause(struct fp_buf *msg, const char *fmt, ...)
{
	va_list ap;

	if (msg->len > 0)
		fp_buf_puts(msg, "; ");
	va_start(ap, fmt);
	fp_buf_vprintf(msg, fmt, ap);
	va_end(ap);
}

static char *
signature_status(const struct found_sig *s)
{
	if (s->problem != NULL)
		return xasprintf("not accepted: %s", s->problem);
	if (!s->valid)
		return xasprintf("does not verify: %s", s->crypto_status);
	if (s->revoked)
		return xstrdup("signature valid, signer certificate revoked");
	if (s->trusted)
		return xstrdup("signature valid, signer certificate trusted");
	return xstrdup("signature valid, signer certificate not trusted by "
	    "the system");
}

/* Judge the signatures, sorted by the bytes they cover, and the updates
 * between and after them.  Every cause of failure goes into msg. */
static int
judge(const struct pdf_file *pf, struct sig_list *list, struct fp_buf *msg)
{
	const struct found_sig *first = NULL, *last = NULL;
	struct fp_buf changes = { 0 };
	size_t i, j, end;
	int rc;

	for (i = 0; i < list->n; i++) {
		const struct found_sig *s = &list->v[i];

		if (s->problem != NULL)
			add_cause(msg, "signature %zu (%s) is not accepted: %s",
			    i + 1, s->field, s->problem);
		else if (!s->valid)
			add_cause(msg, "signature %zu (%s) does not verify: %s",
			    i + 1, s->field, s->crypto_status);
		else if (s->revoked)
			add_cause(msg, "signature %zu (%s): the signer "
			    "certificate is revoked", i + 1, s->field);
		if (s->revision == SIZE_MAX)
			continue;
		if (first == NULL)
			first = s;
		last = s;
	}
	if (last == NULL)
		return 0;

	end = pf->revisions[last->revision].end;
	if (end < pf->len) {
		size_t next = last->revision + 1;

		if (next < pf->n_revisions) {
			size_t extent = pf->revisions[pf->n_revisions - 1].end;

			add_cause(msg, "an unsigned incremental update of %zu "
			    "bytes follows the last signature (%s) at offset "
			    "%zu", extent - end, last->field, end);
			for (j = next; j < pf->n_revisions; j++) {
				fp_buf_puts(&changes, "");
				if ((rc = check_update(pf, j, &changes)) < 0)
					goto out;
				if (rc > 0)
					fp_buf_printf(msg, " and %s",
					    changes.data);
				fp_buf_free(&changes);
			}
			if (extent < pf->len)
				add_cause(msg, "%zu more bytes follow the last "
				    "%%%%EOF", pf->len - extent);
		} else {
			add_cause(msg, "%zu unsigned bytes follow the last "
			    "signature at offset %zu", pf->len - end, end);
		}
		add_cause(msg, "the signed document is bytes 0-%zu", end - 1);
	}

	for (j = first->revision + 1; j <= last->revision; j++) {
		fp_buf_puts(&changes, "");
		if ((rc = check_update(pf, j, &changes)) < 0)
			goto out;
		if (rc > 0)
			add_cause(msg, "the signed update at bytes %zu-%zu "
			    "does more than add a signature: it %s",
			    pf->revisions[j].start, pf->revisions[j].end - 1,
			    changes.data);
		fp_buf_free(&changes);
	}
	rc = 0;

out:
	fp_buf_free(&changes);
	return rc;
}

static void
fill_result(const struct sig_list *list, struct pdf_verify_result *out,
    size_t len)
{
	size_t i, k;

	out->n_signatures = list->n;
	out->signatures = xcalloc(list->n, sizeof(*out->signatures));
	for (i = 0; i < list->n; i++) {
		const struct found_sig *s = &list->v[i];
		struct pdf_signature *o = &out->signatures[i];

		o->field = xstrdup(s->field);
		o->signer = s->signer ? xstrdup(s->signer) :
		    s->name ? xstrdup(s->name) : NULL;
		o->reason = s->reason ? xstrdup(s->reason) : NULL;
		o->signed_at = s->signed_at;
		memcpy(o->cert_sha256, s->cert_sha256,
		    sizeof(o->cert_sha256));
		for (k = 0; k < 4; k++)
			o->range[k] = s->has_range ? (size_t)s->range[k] : 0;
		o->valid = s->valid && s->problem == NULL;
		o->trusted = s->trusted;
		o->whole_file = s->has_range &&
		    (size_t)(s->range[2] + s->range[3]) == len;
		o->status = signature_status(s);
		if (s->has_range && s->problem == NULL)
			out->signed_length = (size_t)(s->range[2] +
			    s->range[3]);
	}
}

int
pdf_verify(const char *path, struct pdf_verify_result *out)
{
	struct pdf_file pf = { 0 };
	struct sig_list list = { 0 };
	struct fp_buf msg = { 0 };
	char *data = NULL;
	size_t len = 0, i, trusted = 0;
	int rc;

	memset(out, 0, sizeof(*out));
	if ((rc = fp_read_file(path, PDF_MAX_FILE_SIZE, &data, &len)) != 0)
		goto out;
	if ((rc = pdf_file_parse(&pf, data, len)) != 0 ||
	    (rc = find_signatures(&pf, &list)) != 0) {
		fp_fail_context(rc, "'%s'", path);
		goto out;
	}
	out->keywords = read_keywords(&pf);
	for (i = 0; i < list.n; i++) {
		if ((rc = validate_signature(data, len, &list.v[i])) != 0) {
			fp_fail_context(rc, "'%s'", path);
			goto out;
		}
	}
	for (i = 0; i < list.n; i++)
		check_byte_range(&pf, &list.v[i]);
	if (list.n > 1)
		fp_qsort(list.v, list.n, sizeof(*list.v), compare_by_end);

	fp_buf_puts(&msg, "");
	if (list.n == 0)
		add_cause(&msg, "the file contains no signature");
	if ((rc = judge(&pf, &list, &msg)) != 0) {
		fp_fail_context(rc, "'%s'", path);
		goto out;
	}
	fill_result(&list, out, len);

	if (msg.len > 0) {
		out->message = fp_buf_detach(&msg);
		rc = fp_fail(FP_EVERIFY, "'%s' does not verify: %s", path,
		    out->message);
		goto out;
	}
	for (i = 0; i < list.n; i++)
		trusted += list.v[i].trusted;
	fp_clear_error();
	out->ok = 1;
	out->message = xasprintf("%zu signature%s and the last covers the "
	    "whole file; %s", list.n, list.n == 1 ? " verifies" : "s verify",
	    trusted == list.n ? "every signer certificate is trusted" :
	    "a signer certificate is not trusted by the system");
	rc = 0;

out:
	fp_buf_free(&msg);
	sig_list_release(&list);
	pdf_file_release(&pf);
	free(data);
	return rc;
}

void
pdf_verify_result_free(struct pdf_verify_result *result)
{
	size_t i;

	if (result == NULL)
		return;
	for (i = 0; i < result->n_signatures; i++) {
		free(result->signatures[i].field);
		free(result->signatures[i].signer);
		free(result->signatures[i].reason);
		free(result->signatures[i].status);
	}
	free(result->signatures);
	free(result->message);
	free(result->keywords);
	memset(result, 0, sizeof(*result));
}
