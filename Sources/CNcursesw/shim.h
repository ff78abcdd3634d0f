// The one place curses is included. Macros and globals are exposed as static inline functions.
#ifndef TOKENSCOPE_CNCURSESW_SHIM_H
#define TOKENSCOPE_CNCURSESW_SHIM_H
#define _XOPEN_SOURCE_EXTENDED 1
#define NCURSES_WIDECHAR 1
#include <locale.h>
#include <ncursesw/curses.h>
#endif
