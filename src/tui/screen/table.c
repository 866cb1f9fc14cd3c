/* The table of screens, in the order of screen/table.h: the engine reads it through t->screens
 * (tui.c hands it over), so that no engine file names a screen. Data only: calls nothing. */
#include "config.h"
#include "../tui_int.h"

const struct tui_screen *const tui_screens[K8TLS_SCR_COUNT] = {
#define SCREEN(name, file, id, title, paths, shown, keys) [K8TLS_SCR_##name] = &tui_screen_##file,
#include "table.h"
#undef SCREEN
};
