// The one place curses is included. Macros and globals used by Tokenscope are exposed as
// static inline functions, so Swift never depends on how ncurses implements them.
#ifndef TOKENSCOPE_CNCURSESW_SHIM_H
#define TOKENSCOPE_CNCURSESW_SHIM_H
#define _XOPEN_SOURCE_EXTENDED 1
#define NCURSES_WIDECHAR 1
#include <locale.h>
#include <wchar.h>
#include <ncursesw/curses.h>

static inline void ts_set_locale(void) { setlocale(LC_ALL, ""); }
/// Starts curses on stdin/stdout like initscr, but returns ERR instead of exiting when the
/// terminal type is unknown, so the caller can explain.
static inline int ts_start(void) {
    SCREEN *screen = newterm(NULL, stdout, stdin);
    if (screen == NULL) return ERR;
    set_term(screen);
    return OK;
}
/// Whether the terminal can move the cursor (`cup`): a full-screen UI cannot draw without it
/// (TERM=dumb, hard-copy terminals).
static inline int ts_can_address_cursor(void) {
    char *cup = tigetstr("cup");
    return cup != NULL && cup != (char *)-1;
}
static inline WINDOW *ts_stdscr(void) { return stdscr; }
static inline int ts_lines(void) { return LINES; }
static inline int ts_cols(void) { return COLS; }
static inline int ts_colors(void) { return COLORS; }
static inline int ts_color_pairs(void) { return COLOR_PAIRS; }
static inline attr_t ts_a_bold(void) { return A_BOLD; }
static inline attr_t ts_a_dim(void) { return A_DIM; }
static inline attr_t ts_a_reverse(void) { return A_REVERSE; }
static inline attr_t ts_a_underline(void) { return A_UNDERLINE; }
static inline attr_t ts_a_normal(void) { return A_NORMAL; }
static inline int ts_key_resize(void) { return KEY_RESIZE; }
static inline int ts_key_up(void) { return KEY_UP; }
static inline int ts_key_down(void) { return KEY_DOWN; }
static inline int ts_key_left(void) { return KEY_LEFT; }
static inline int ts_key_right(void) { return KEY_RIGHT; }
static inline int ts_key_home(void) { return KEY_HOME; }
static inline int ts_key_end(void) { return KEY_END; }
static inline int ts_key_ppage(void) { return KEY_PPAGE; }
static inline int ts_key_npage(void) { return KEY_NPAGE; }
static inline int ts_key_backspace(void) { return KEY_BACKSPACE; }
static inline int ts_key_dc(void) { return KEY_DC; }
static inline int ts_key_enter(void) { return KEY_ENTER; }
static inline int ts_key_btab(void) { return KEY_BTAB; }
static inline int ts_key_mouse(void) { return KEY_MOUSE; }
static inline int ts_key_code_yes(void) { return KEY_CODE_YES; }
static inline int ts_err(void) { return ERR; }
static inline mmask_t ts_mouse_mask(void) { return BUTTON1_CLICKED | BUTTON1_PRESSED | BUTTON4_PRESSED | BUTTON5_PRESSED; }
static inline mmask_t ts_button1(void) { return BUTTON1_CLICKED | BUTTON1_PRESSED; }
static inline mmask_t ts_button4(void) { return BUTTON4_PRESSED; }
static inline mmask_t ts_button5(void) { return BUTTON5_PRESSED; }

/// Reads one byte or function key: returns OK with a byte (a character's UTF-8 bytes arrive one
/// at a time and the caller decodes them), KEY_CODE_YES with a function key, ERR on timeout.
/// Not get_wch: on a byte that is not UTF-8 it returns ERR and the bytes after it are lost.
static inline int ts_get_byte(int *key) {
    int code = wgetch(stdscr);
    if (code == ERR) return ERR;
    *key = code;
    return code >= KEY_MIN ? KEY_CODE_YES : OK;
}
/// Asks curses to keep the 8th bit of input bytes (UTF-8 needs it).
static inline void ts_keep_eighth_bit(void) { meta(stdscr, TRUE); }

/// Writes one cell: up to 8 wide characters (a grapheme) with attributes and an extended colour pair.
static inline int ts_put_cell(int y, int x, const wchar_t *chars, attr_t attrs, int pair) {
    cchar_t cell;
    if (setcchar(&cell, chars, attrs, 0, &pair) != OK) return ERR;
    return mvadd_wch(y, x, &cell);
}

static inline int ts_init_pair(int pair, int fg, int bg) { return init_extended_pair(pair, fg, bg); }

/// Palette redefinition: whether the terminal can, and whether its terminfo can undo it (`oc`).
static inline int ts_can_change_color(void) { return can_change_color() ? 1 : 0; }
static inline int ts_has_orig_colors(void) {
    char *oc = tigetstr("oc");
    return oc != NULL && oc != (char *)-1;
}
/// Sets palette slot `color` to (r, g, b) in 0...1000.
static inline int ts_init_color(int color, int r, int g, int b) { return init_extended_color(color, r, g, b); }
/// Sends `oc`: the terminal's own palette comes back.
static inline void ts_reset_palette(void) {
    char *oc = tigetstr("oc");
    if (oc != NULL && oc != (char *)-1) putp(oc);
}
static inline int ts_get_mouse(int *x, int *y, mmask_t *state) {
    MEVENT event;
    if (getmouse(&event) != OK) return ERR;
    *x = event.x; *y = event.y; *state = event.bstate;
    return OK;
}
#endif
