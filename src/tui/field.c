/* The page engine's fields: defining a form's fields, setting and reading their values, storing
 * them into plan fields, and the errors shown beside them. Plain data, no widgets: calls text.c
 * and the core's secure.c only. */
#include "config.h"
#include "tui_int.h"
#include "k8tls/i18n.h"
#include "k8tls/secure.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- fields ------------------------------------------------------------------------------ */

static const char *const yes_no[] = {N_("no"), N_("yes")};

int tui_field_add(struct form *f, enum fkind k, const char *label, const char *path)
{
    int i = f->n++;
    struct field *fd = &f->f[i];
    memset(fd, 0, sizeof *fd);
    fd->kind = k;
    fd->label = label;
    fd->path = path;
    fd->item = fd->label_item = -1;
    return i;
}

int tui_field_choice(struct form *f, const char *label, const char *path,
                     const char *const *choices, int n, bool relayout)
{
    int i = tui_field_add(f, F_CHOICE, label, path);
    f->f[i].choices = choices;
    f->f[i].n_choices = n;
    f->f[i].relayout = relayout;
    return i;
}

int tui_field_yesno(struct form *f, const char *label, const char *path, bool relayout)
{
    return tui_field_choice(f, label, path, yes_no, 2, relayout);
}

void tui_field_hint(struct form *f, int i, const char *h)
{
    f->f[i].hint = h;
}

void tui_field_set(struct form *f, int i, const char *v)
{
    struct field *fd = &f->f[i];
    if (fd->value && fd->kind == F_PASSWORD)
        k8tls_secure_wipe_str(fd->value);
    tui_set_str(&fd->value, v ? v : "");
}

void tui_field_set_int(struct form *f, int i, long v)
{
    char b[32];
    snprintf(b, sizeof b, "%ld", v);
    tui_field_set(f, i, b);
}

const char *tui_field_val(struct form *f, int i)
{
    return f->f[i].value ? f->f[i].value : "";
}

char *tui_trimmed(const char *s)
{
    while (*s == ' ' || *s == '\t')
        s++;
    size_t n = strlen(s);
    while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '\t'))
        n--;
    return strndup(s, n);
}

void tui_put_str(char **dst, struct form *f, int i)
{
    char *v = tui_trimmed(tui_field_val(f, i));
    if (!v)
        return;
    free(*dst);
    *dst = v;
}

void tui_put_opt(char **dst, struct form *f, int i)
{
    char *v = tui_trimmed(tui_field_val(f, i));
    free(*dst);
    *dst = (v && *v) ? v : NULL;
    if (v && !*v)
        free(v);
}

int tui_put_int(int *dst, struct form *f, int i, bool strict)
{
    char *v = tui_trimmed(tui_field_val(f, i));
    char *end = NULL;
    errno = 0;
    long n = v ? strtol(v, &end, 10) : 0;
    bool ok = v && *v && end && *end == '\0' && errno == 0 && n >= INT_MIN && n <= INT_MAX;
    free(v);
    if (ok) {
        *dst = (int)n;
        return 0;
    }
    if (strict) {
        tui_field_error(f, i, _("expected a whole number"));
        return 1;
    }
    return 0;
}

void tui_put_password(struct k8tls_password *pw, struct form *f, int i)
{
    const char *v = tui_field_val(f, i);
    if (pw->ref && strcmp(pw->ref, v) == 0)
        return;
    k8tls_secure_free_str(pw->ref);
    k8tls_secure_free_str(pw->value);
    pw->value = NULL;
    pw->ref = *v ? strdup(v) : NULL;
}

void tui_form_clear_errors(struct form *f)
{
    for (int i = 0; i < f->n; i++) {
        free(f->f[i].error);
        f->f[i].error = NULL;
    }
    free(f->general_error);
    f->general_error = NULL;
}

void tui_field_error(struct form *f, int i, const char *msg)
{
    if (i < 0 || i >= f->n) {
        if (f->general_error) {
            char *s = tui_fmt("%s; %s", f->general_error, msg);
            free(f->general_error);
            f->general_error = s;
        } else {
            f->general_error = strdup(msg);
        }
        return;
    }
    if (!f->f[i].error)
        f->f[i].error = strdup(msg);
}

