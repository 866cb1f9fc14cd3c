/* Form fields bound to answers keys: a field made by tui_field_key takes its kind, label and
 * choices from the key's row of the plan schema (plan_table.h), and the engine loads and stores it
 * through the row, before the screen's own load and store (which handle only the fields the
 * schema cannot: lists typed as text, files, passwords read from the terminal). Calls field.c
 * and the core's plan schema. A screen adds its own hint (tui_field_hint): the rows' help texts are
 * written for the answers file. */
#include "config.h"
#include "tui_int.h"
#include "k8tls/i18n.h"
#include "k8tls/plan_table.h"

#include <stdlib.h>
#include <string.h>

static int count(const char *const *v)
{
    int n = 0;
    while (v && v[n])
        n++;
    return n;
}

static int add(struct form *f, const char *path, bool as_text, bool relayout)
{
    struct k8tls_field k;
    if (!k8tls_plan_field(NULL, path, &k))
        return -1;   /* a key the schema does not have: a programming error, the field is left out */
    const struct k8tls_key *r = k.row;
    const char *label = r->label ? r->label : r->name;
    int i;
    switch (r->type) {
    case K8TLS_KT_BOOL:
        i = tui_field_yesno(f, label, path, relayout);
        break;
    case K8TLS_KT_ENUM:
    case K8TLS_KT_STR_ENUM:
        if (!as_text) {
            const char *const *allowed = k8tls_key_allowed(r, k.parent);
            i = tui_field_choice(f, label, path, allowed, count(allowed), relayout);
            break;
        }
        /* fall through */
    default:
        i = tui_field_add(f, r->type == K8TLS_KT_PASSWORD ? F_PASSWORD : F_TEXT, label, path);
        break;
    }
    f->f[i].bound = true;
    return i;
}

int tui_field_key(struct form *f, const char *path, bool relayout)
{
    return add(f, path, false, relayout);
}

int tui_field_key_text(struct form *f, const char *path)
{
    return add(f, path, true, false);
}

static int index_of(const char *const *v, const char *s)
{
    for (int i = 0; s && v && v[i]; i++)
        if (strcmp(v[i], s) == 0)
            return i;
    return 0;
}

static void load_one(struct tui *t, struct form *f, int i)
{
    struct field *fd = &f->f[i];
    struct k8tls_field k;
    if (!k8tls_plan_field(t->plan, fd->path, &k) || !k.ptr)
        return;
    const struct k8tls_key *r = k.row;
    switch (r->type) {
    case K8TLS_KT_BOOL:
        fd->choice = *(const bool *)k.ptr;
        return;
    case K8TLS_KT_INT:
        tui_field_set_int(f, i, *(const int *)k.ptr);
        return;
    case K8TLS_KT_ENUM: {
        int v = *(const int *)k.ptr;
        const char *name = v >= 0 && v < count(r->names) ? r->names[v] : NULL;
        if (fd->kind == F_CHOICE)
            fd->choice = index_of(fd->choices, name);
        else
            tui_field_set(f, i, name);
        return;
    }
    case K8TLS_KT_STR_ENUM:
        if (fd->kind == F_CHOICE) {
            fd->choice = index_of(fd->choices, *(char *const *)k.ptr);
            return;
        }
        /* fall through */
    case K8TLS_KT_STR:
        tui_field_set(f, i, *(char *const *)k.ptr);
        return;
    case K8TLS_KT_PASSWORD:
        tui_field_set(f, i, ((const struct k8tls_password *)k.ptr)->ref);
        return;
    default:
        return;
    }
}

/* Returns the number of errors shown (strict: a number that is not one). */
static int store_one(struct tui *t, struct form *f, int i, bool strict)
{
    struct field *fd = &f->f[i];
    struct k8tls_field k;
    if (!k8tls_plan_field(t->plan, fd->path, &k) || !k.ptr)
        return 0;
    const struct k8tls_key *r = k.row;
    switch (r->type) {
    case K8TLS_KT_BOOL:
        *(bool *)k.ptr = fd->choice != 0;
        return 0;
    case K8TLS_KT_INT:
        return tui_put_int(k.ptr, f, i, strict);
    case K8TLS_KT_ENUM:
        if (fd->kind == F_CHOICE && fd->choice >= 0 && fd->choice < fd->n_choices)
            *(int *)k.ptr = index_of(r->names, fd->choices[fd->choice]);
        return 0;
    case K8TLS_KT_STR_ENUM:
        if (fd->kind == F_CHOICE) {
            if (fd->choice >= 0 && fd->choice < fd->n_choices)
                tui_set_str(k.ptr, fd->choices[fd->choice]);
            return 0;
        }
        /* fall through */
    case K8TLS_KT_STR:
        tui_put_str(k.ptr, f, i);
        return 0;
    case K8TLS_KT_PASSWORD:
        tui_put_password(k.ptr, f, i);
        return 0;
    default:
        return 0;
    }
}

void tui_form_load(struct tui *t, struct form *f, const struct tui_screen *ops)
{
    for (int i = 0; i < f->n; i++)
        if (f->f[i].bound)
            load_one(t, f, i);
    if (ops->load)
        ops->load(t, f);
}

int tui_form_store(struct tui *t, struct form *f, const struct tui_screen *ops, bool strict)
{
    int errs = 0;
    /* a hidden field is one its screen does not use now (a switched-off feature's settings):
     * what the plan holds there stays as it is */
    for (int i = 0; i < f->n; i++)
        if (f->f[i].bound && !f->f[i].hidden)
            errs += store_one(t, f, i, strict);
    if (ops->store)
        errs += ops->store(t, f, strict);
    return errs;
}
