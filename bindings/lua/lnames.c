/*
 * lnames.c - how values and table entries are named in detail trees,
 * reprs and reports.  Raw reads only: tostring would run __tostring and
 * __name could be anything, so a name is read with lua_rawget and used
 * only if it is a string.
 */
#include "linternal.h"

#include <stdio.h>
#include <string.h>

#define FPL_CLIP 40

static const char *const reserved[] = {
    "and",   "break", "do",     "else", "elseif", "end",   "false",
    "for",   "function", "goto", "if",  "in",     "local", "nil",
    "not",   "or",    "repeat", "return", "then", "true",  "until",
    "while", NULL};

static int is_name(const char *s, size_t len)
{
    size_t i;

    if (!len || len > FPL_CLIP || (s[0] >= '0' && s[0] <= '9'))
        return 0;
    for (i = 0; i < len; i++) {
        unsigned char c = (unsigned char)s[i];
        if (!(c == '_' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
              (c >= '0' && c <= '9')))
            return 0;
    }
    for (i = 0; reserved[i]; i++)
        if (strlen(reserved[i]) == len && !memcmp(reserved[i], s, len))
            return 0;
    return 1;
}

/* Append to buf[*n..cap) as snprintf would, keeping *n the full length. */
static void put(char *buf, size_t cap, size_t *n, const char *s, size_t len)
{
    if (*n < cap) {
        size_t room = cap - *n - 1, k = len < room ? len : room;
        memcpy(buf + *n, s, k);
        buf[*n + k] = '\0';
    }
    *n += len;
}

/* A quoted, escaped string, clipped to FPL_CLIP bytes. */
static void put_quoted(char *buf, size_t cap, size_t *n, const char *s,
                       size_t len)
{
    size_t i, m = len < FPL_CLIP ? len : FPL_CLIP;
    char esc[8];

    put(buf, cap, n, "\"", 1);
    for (i = 0; i < m; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c == '"' || c == '\\') {
            esc[0] = '\\';
            esc[1] = (char)c;
            put(buf, cap, n, esc, 2);
        } else if (c < 32 || c == 127) {
            int k = snprintf(esc, sizeof esc, "\\%d", c);
            put(buf, cap, n, esc, (size_t)k);
        } else {
            put(buf, cap, n, (const char *)&s[i], 1);
        }
    }
    put(buf, cap, n, "\"", 1);
    if (m < len)
        put(buf, cap, n, "...", 3);
}

/* The __name of the value's metatable, read raw; NULL if none. */
static const char *meta_name(lua_State *L, int idx, size_t *len)
{
    const char *s = NULL;

    if (!lua_checkstack(L, 2) || !lua_getmetatable(L, idx))
        return NULL;
    lua_pushliteral(L, "__name");
    if (lua_rawget(L, -2) == LUA_TSTRING)
        s = lua_tolstring(L, -1, len); /* the metatable keeps it alive */
    lua_pop(L, 2);
    return s;
}

size_t fpl_describe(lua_State *L, int idx, char *buf, size_t cap)
{
    char tmp[64];
    size_t n = 0, len;
    const char *s;
    int k, t = lua_type(L, idx);

    if (cap)
        buf[0] = '\0';
    switch (t) {
    case LUA_TSTRING:
        s = lua_tolstring(L, idx, &len);
        put_quoted(buf, cap, &n, s, len);
        return n;
    case LUA_TNUMBER:
        if (lua_isinteger(L, idx))
            k = snprintf(tmp, sizeof tmp, LUA_INTEGER_FMT,
                         (LUAI_UACINT)lua_tointeger(L, idx));
        else
            k = snprintf(tmp, sizeof tmp, LUA_NUMBER_FMT,
                         (LUAI_UACNUMBER)lua_tonumber(L, idx));
        put(buf, cap, &n, tmp, (size_t)k);
        return n;
    case LUA_TBOOLEAN:
        s = lua_toboolean(L, idx) ? "true" : "false";
        put(buf, cap, &n, s, strlen(s));
        return n;
    case LUA_TNIL:
    case LUA_TNONE:
        put(buf, cap, &n, "nil", 3);
        return n;
    default:
        break;
    }
    s = NULL;
    if (t == LUA_TTABLE || t == LUA_TUSERDATA)
        s = meta_name(L, idx, &len);
    if (!s) {
        s = lua_typename(L, t);
        len = strlen(s);
    }
    if (len > FPL_CLIP)
        len = FPL_CLIP;
    put(buf, cap, &n, s, len);
    k = snprintf(tmp, sizeof tmp, ": %p", lua_topointer(L, idx));
    put(buf, cap, &n, tmp, (size_t)k);
    return n;
}

size_t fpl_keyname(lua_State *L, int idx, char *buf, size_t cap)
{
    size_t n = 0, len, inner;

    if (cap)
        buf[0] = '\0';
    if (lua_type(L, idx) == LUA_TSTRING) {
        const char *s = lua_tolstring(L, idx, &len);
        if (is_name(s, len)) {
            put(buf, cap, &n, ".", 1);
            put(buf, cap, &n, s, len);
            return n;
        }
    }
    put(buf, cap, &n, "[", 1);
    inner = fpl_describe(L, idx, n < cap ? buf + n : NULL,
                         n < cap ? cap - n : 0);
    n += inner;
    put(buf, cap, &n, "]", 1);
    return n;
}
