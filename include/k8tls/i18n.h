/* gettext helpers used by every module. */
#ifndef K8TLS_I18N_H
#define K8TLS_I18N_H

#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#if ENABLE_NLS
#include <libintl.h>
#define _(s) dgettext(PACKAGE, s)
#else
#define _(s) (s)
#endif
#define N_(s) (s)

#endif
