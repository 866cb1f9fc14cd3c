/* The doctor's findings as text (one line each) or JSON (doctor.h). Findings never hold a
 * secret value (checks.c describes values, never copies them), and control characters from the
 * input are escaped (text.h for text, \uXXXX in JSON). */
#include "config.h"
#include "doctor.h"
#include "k8tls/i18n.h"
#include "k8tls/text.h"

#include <string.h>

size_t dr_count(const struct dr_state *s, enum dr_sev sev)
{
    size_t n = 0;
    for (size_t i = 0; i < s->nf; i++)
        if (s->f[i].sev == sev)
            n++;
    return n;
}

static const char *sev_name(enum dr_sev s)
{
    switch (s) {
    case DR_ERROR: return _("error");
    case DR_WARNING: return _("warning");
    case DR_EXPIRING: return _("expiring");
    }
    return "?";
}

static const char *sev_id(enum dr_sev s)
{
    return s == DR_ERROR ? "error" : s == DR_WARNING ? "warning" : "expiring";
}

void dr_print_text(const struct dr_state *s, FILE *out)
{
    for (size_t i = 0; i < s->nf; i++) {
        const struct dr_finding *f = &s->f[i];
        k8tls_text_fprintf(out, "%s: [%s] %s%s%s%s%s%s: %s", sev_name(f->sev), f->code, f->object,
                           f->key ? " " : "", f->key ? f->key : "", f->where ? " (" : "",
                           f->where ? f->where : "", f->where ? ")" : "", f->what);
        if (f->breaks)
            k8tls_text_fprintf(out, _("; breaks: %s"), f->breaks);
        if (f->fix)
            k8tls_text_fprintf(out, _("; fix: %s"), f->fix);
        fputc('\n', out);
    }
    size_t e = dr_count(s, DR_ERROR), w = dr_count(s, DR_WARNING), x = dr_count(s, DR_EXPIRING);
    if (s->nf == 0)
        fprintf(out, _("no problem found (%zu cluster(s), %zu Secret(s) checked)\n"), s->ncl,
                s->nsec);
    else
        fprintf(out, _("%zu error(s), %zu expiring, %zu warning(s) (%zu cluster(s), %zu Secret(s) "
                       "checked)\n"),
                e, x, w, s->ncl, s->nsec);
}

static void json_str(FILE *out, const char *v)
{
    if (!v) {
        fputs("null", out);
        return;
    }
    fputc('"', out);
    for (const unsigned char *p = (const unsigned char *)v; *p; p++) {
        if (*p == '"' || *p == '\\')
            fprintf(out, "\\%c", *p);
        else if (*p == '\n')
            fputs("\\n", out);
        else if (*p < 0x20 || *p == 0x7f)
            fprintf(out, "\\u%04x", *p);
        else
            fputc(*p, out);
    }
    fputc('"', out);
}

void dr_print_json(const struct dr_state *s, FILE *out)
{
    fprintf(out, "{\"clusters\": %zu, \"secrets\": %zu, \"errors\": %zu, \"expiring\": %zu, "
                 "\"warnings\": %zu, \"findings\": [",
            s->ncl, s->nsec, dr_count(s, DR_ERROR), dr_count(s, DR_EXPIRING),
            dr_count(s, DR_WARNING));
    for (size_t i = 0; i < s->nf; i++) {
        const struct dr_finding *f = &s->f[i];
        fputs(i ? ",\n  {" : "\n  {", out);
        fprintf(out, "\"severity\": \"%s\", \"rule\": ", sev_id(f->sev));
        json_str(out, f->code);
        fputs(", \"object\": ", out);
        json_str(out, f->object);
        fputs(", \"key\": ", out);
        json_str(out, f->key);
        fputs(", \"where\": ", out);
        json_str(out, f->where);
        fputs(", \"problem\": ", out);
        json_str(out, f->what);
        fputs(", \"breaks\": ", out);
        json_str(out, f->breaks);
        fputs(", \"fix\": ", out);
        json_str(out, f->fix);
        fputc('}', out);
    }
    fputs(s->nf ? "\n]}\n" : "]}\n", out);
}
