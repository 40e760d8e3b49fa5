/*
 * parse.c - the shell's lexer and recursive-descent parser (sh.h).
 *
 * Grammar (a POSIX subset; docs/shell.md):
 *   complete  := and_or ((';' | '&') and_or)* [';' | '&'] (NEWLINE | EOF)
 *   and_or    := pipeline (('&&' | '||') linebreak pipeline)*
 *   pipeline  := ['!'] command ('|' linebreak command)*
 *   command   := if | while | until | for | '{' list '}' ; each + redirects
 *              | (assignment | redirect)* [word (word | redirect)*]
 *   list      := and_or sequences separated by ';' '&' NEWLINE, ended by a
 *                closing reserved word (then elif else fi do done '}')
 * Reserved words count only unquoted and in command position. Words keep
 * their raw text; the lexer only finds where they end, skipping over
 * quotes, backslashes, ${...} and $((...)) (and $(...), which expansion
 * refuses). The token is read lazily (peek/take) so the parser never
 * reads past the newline that ends a complete command: the rest of the
 * text may still be incomplete.
 *
 * Ownership: the parser state and the tree are the caller's (sh.h); no
 * locks, no allocation beyond the caller's arena.
 */
#include <string.h>
#include "base/err.h"
#include "sh/sh.h"

enum {
	T_NONE,
	T_EOF,
	T_NEWLINE,
	T_SEMI,
	T_AMP,
	T_AND,
	T_OR,
	T_PIPE,
	T_LPAREN,
	T_RPAREN,
	T_LESS,
	T_GREAT,
	T_DGREAT,
	T_LESSAND,
	T_GREATAND,
	T_WORD,
};

void *sh_alloc(struct sh_arena *a, size_t n)
{
	size_t at = ALIGN_UP(a->used, 8);
	if (at > a->cap || n > a->cap - at)
		return NULL;
	a->used = at + n;
	memset(a->base + at, 0, n);
	return a->base + at;
}

bool sh_is_name(const char *name, size_t len)
{
	if (len == 0)
		return false;
	for (size_t i = 0; i < len; i++) {
		char c = name[i];
		bool alpha = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
		if (!alpha && !(i > 0 && c >= '0' && c <= '9'))
			return false;
	}
	return true;
}

size_t sh_assign_name_len(const char *w, size_t len)
{
	const char *eq = memchr(w, '=', len);
	if (!eq || !sh_is_name(w, (size_t)(eq - w)))
		return 0;
	return (size_t)(eq - w);
}

void sh_parser_init(struct sh_parser *p, const char *src, size_t len, struct sh_arena *arena,
		    struct sh_error *err)
{
	memset(p, 0, sizeof *p);
	p->src = src;
	p->len = len;
	p->line = 1;
	p->arena = arena;
	p->err = err;
}

/* Copy msg (and the quoted near text, if any) into the error. */
static int syntax(struct sh_parser *p, const char *near, size_t near_len)
{
	char *m = p->err->msg;
	size_t cap = sizeof p->err->msg, n = 0;
	const char *head = "syntax error near '";
	for (const char *s = head; *s && n + 1 < cap; s++)
		m[n++] = *s;
	for (size_t i = 0; i < near_len && n + 5 < cap; i++)
		m[n++] = (unsigned char)near[i] < 0x20 ? '?' : near[i];
	if (n + 1 < cap)
		m[n++] = '\'';
	m[n] = 0;
	p->err->line = p->tok_line ? p->tok_line : p->line;
	return -E_INVAL;
}

/* A bound of the parser was passed: msg as the error. */
static int limit(struct sh_parser *p, const char *msg)
{
	size_t n = strlen(msg);
	memcpy(p->err->msg, msg, n + 1);
	p->err->line = p->tok_line ? p->tok_line : p->line;
	return -E_INVAL;
}

/* A syntax error at the current token. */
static int syntax_tok(struct sh_parser *p)
{
	switch (p->tok) {
	case T_EOF:
		return syntax(p, "end of file", 11);
	case T_NEWLINE:
		return syntax(p, "newline", 7);
	default:
		return syntax(p, p->tok_text, p->tok_len);
	}
}

static int incomplete(struct sh_parser *p)
{
	p->incomplete = true;
	return SH_INCOMPLETE;
}

static bool is_meta(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == ';' || c == '&' || c == '|' || c == '<' ||
	       c == '>' || c == '(' || c == ')';
}

/* Skip from i (just after "$((" or "$(") to after the matching ')': the
   index, or len when the text ends first. */
static size_t skip_parens(const char *s, size_t i, size_t len, int depth)
{
	while (i < len && depth > 0) {
		char c = s[i++];
		if (c == '(')
			depth++;
		else if (c == ')')
			depth--;
		else if (c == '\\' && i < len)
			i++;
		else if (c == '\'') {
			while (i < len && s[i] != '\'')
				i++;
			if (i < len)
				i++;
			else
				return len + 1;
		}
	}
	return depth > 0 ? len + 1 : i;
}

/* After a '$' at s[i-1]: skip ${...}, $((...)), $(...); the new index, or
   len + 1 when the text ends inside. */
static size_t skip_dollar(const char *s, size_t i, size_t len)
{
	if (i < len && s[i] == '{') {
		while (i < len && s[i] != '}')
			i++;
		return i < len ? i + 1 : len + 1;
	}
	if (i < len && s[i] == '(')
		return skip_parens(s, i + 1, len, 1);
	return i;
}

/* Find the end of the word starting at i: 0 and *end, or SH_INCOMPLETE. */
static int scan_word(struct sh_parser *p, size_t i, size_t *end)
{
	const char *s = p->src;
	size_t len = p->len;
	while (i < len && !is_meta(s[i])) {
		char c = s[i++];
		if (c == '\\') {
			if (i >= len)
				return SH_INCOMPLETE;
			i++;
		} else if (c == '\'') {
			while (i < len && s[i] != '\'')
				i++;
			if (i >= len)
				return SH_INCOMPLETE;
			i++;
		} else if (c == '"') {
			while (i < len && s[i] != '"') {
				char d = s[i++];
				if (d == '\\')
					i++;
				else if (d == '$')
					i = skip_dollar(s, i, len);
			}
			if (i >= len)
				return SH_INCOMPLETE;
			i++;
		} else if (c == '$') {
			i = skip_dollar(s, i, len);
			if (i > len)
				return SH_INCOMPLETE;
		}
	}
	*end = i;
	return 0;
}

static void count_lines(struct sh_parser *p, size_t from, size_t to)
{
	for (size_t i = from; i < to; i++)
		p->line += p->src[i] == '\n';
}

/* Read the next token into p->tok: 0, or SH_INCOMPLETE. */
static int lex(struct sh_parser *p)
{
	const char *s = p->src;
	size_t i = p->pos, len = p->len;
	for (;;) {
		while (i < len && (s[i] == ' ' || s[i] == '\t' || s[i] == '\r'))
			i++;
		if (i + 1 < len && s[i] == '\\' && s[i + 1] == '\n') {
			i += 2;
			p->line++;
			continue;
		}
		if (i + 1 == len && s[i] == '\\')
			return incomplete(p);
		if (i < len && s[i] == '#') {
			while (i < len && s[i] != '\n')
				i++;
		}
		break;
	}
	p->tok_text = s + i;
	p->tok_line = p->line;
	p->tok_fd = -1;
	if (i >= len) {
		p->tok = T_EOF;
		p->tok_len = 0;
		p->pos = i;
		return 0;
	}
	char c = s[i], d = i + 1 < len ? s[i + 1] : 0;
	int t = T_NONE;
	size_t n = 1;
	switch (c) {
	case '\n':
		t = T_NEWLINE;
		break;
	case ';':
		t = T_SEMI;
		break;
	case '&':
		t = d == '&' ? T_AND : T_AMP;
		n = d == '&' ? 2 : 1;
		break;
	case '|':
		t = d == '|' ? T_OR : T_PIPE;
		n = d == '|' ? 2 : 1;
		break;
	case '(':
		t = T_LPAREN;
		break;
	case ')':
		t = T_RPAREN;
		break;
	case '<':
		t = d == '&' ? T_LESSAND : T_LESS;
		n = d == '&' ? 2 : 1;
		break;
	case '>':
		t = d == '>' ? T_DGREAT : d == '&' ? T_GREATAND : T_GREAT;
		n = d == '>' || d == '&' ? 2 : 1;
		break;
	}
	if (t == T_NONE) {
		size_t end;
		if (scan_word(p, i, &end) != 0)
			return incomplete(p);
		size_t k = i;
		while (k < end && s[k] >= '0' && s[k] <= '9')
			k++;
		if (k == end && end < len && end - i <= 2 && (s[end] == '<' || s[end] == '>')) {
			/* an IO number: "2>" */
			int fd = 0;
			for (size_t j = i; j < end; j++)
				fd = fd * 10 + (s[j] - '0');
			p->pos = end;
			int r = lex(p);
			p->tok_fd = fd;
			p->tok_text = s + i;
			p->tok_len += end - i;
			return r;
		}
		t = T_WORD;
		n = end - i;
	}
	p->tok = t;
	p->tok_len = n;
	count_lines(p, i, i + n);
	p->pos = i + n;
	return 0;
}

/* The current token, read if needed: T_*, or a negative/positive status. */
static int peek(struct sh_parser *p)
{
	if (p->tok == T_NONE) {
		int r = lex(p);
		if (r != 0)
			return -1;
	}
	return p->tok;
}

static void take(struct sh_parser *p)
{
	p->tok = T_NONE;
}

/* The current token is the unquoted reserved word w. */
static bool is_word(struct sh_parser *p, const char *w)
{
	size_t n = strlen(w);
	return peek(p) == T_WORD && p->tok_len == n && memcmp(p->tok_text, w, n) == 0;
}

static bool at_closer(struct sh_parser *p)
{
	static const char *const closers[] = {"then", "elif", "else", "fi", "do", "done", "}"};
	for (size_t i = 0; i < ARRAY_SIZE(closers); i++)
		if (is_word(p, closers[i]))
			return true;
	return peek(p) == T_RPAREN;
}

/* The status for an unexpected current token: incomplete at the end of
   the text (or inside an unterminated quote), else a syntax error. */
static int unexpected(struct sh_parser *p)
{
	if (p->incomplete)
		return SH_INCOMPLETE;
	if (peek(p) < 0)
		return SH_INCOMPLETE;
	if (p->tok == T_EOF)
		return incomplete(p);
	return syntax_tok(p);
}

static void linebreak(struct sh_parser *p)
{
	while (peek(p) == T_NEWLINE)
		take(p);
}

static struct sh_node *new_node(struct sh_parser *p, enum sh_kind kind)
{
	struct sh_node *n = sh_alloc(p->arena, sizeof *n);
	if (n) {
		n->kind = kind;
		n->line = p->tok_line ? p->tok_line : p->line;
	}
	return n;
}

static int nospc(struct sh_parser *p)
{
	p->err->line = p->line;
	strcpy(p->err->msg, "command too long");
	return -E_NOSPC;
}

static int parse_and_or(struct sh_parser *p, struct sh_node **out);
static int parse_list(struct sh_parser *p, struct sh_node **out);

static bool is_redir_tok(int t)
{
	return t == T_LESS || t == T_GREAT || t == T_DGREAT || t == T_LESSAND || t == T_GREATAND;
}

/* A redirection at the current token, appended at *tail. */
static int parse_redir(struct sh_parser *p, struct sh_redir ***tail)
{
	int t = p->tok, fd = p->tok_fd;
	take(p);
	if (peek(p) != T_WORD)
		return unexpected(p);
	struct sh_redir *r = sh_alloc(p->arena, sizeof *r);
	if (!r)
		return nospc(p);
	switch (t) {
	case T_LESS:
		r->kind = SH_R_IN;
		break;
	case T_GREAT:
		r->kind = SH_R_OUT;
		break;
	case T_DGREAT:
		r->kind = SH_R_APPEND;
		break;
	case T_LESSAND:
		r->kind = SH_R_INDUP;
		break;
	default:
		r->kind = SH_R_DUP;
		break;
	}
	r->fd = fd >= 0 ? fd : (t == T_LESS || t == T_LESSAND) ? 0 : 1;
	r->target.text = p->tok_text;
	r->target.len = p->tok_len;
	take(p);
	**tail = r;
	*tail = &r->next;
	return 0;
}

static int parse_redirs(struct sh_parser *p, struct sh_redir **head)
{
	struct sh_redir **tail = head;
	while (*tail)
		tail = &(*tail)->next;
	while (is_redir_tok(peek(p))) {
		int r = parse_redir(p, &tail);
		if (r != 0)
			return r;
	}
	return 0;
}

static int append_word(struct sh_parser *p, struct sh_word ***tail)
{
	struct sh_word *w = sh_alloc(p->arena, sizeof *w);
	if (!w)
		return nospc(p);
	w->text = p->tok_text;
	w->len = p->tok_len;
	take(p);
	**tail = w;
	*tail = &w->next;
	return 0;
}

static int parse_simple(struct sh_parser *p, struct sh_node **out)
{
	struct sh_node *n = new_node(p, SH_CMD);
	if (!n)
		return nospc(p);
	struct sh_word **atail = &n->assigns, **wtail = &n->words;
	struct sh_redir **rtail = &n->redirs;
	for (;;) {
		int t = peek(p);
		int r = 0;
		if (t == T_WORD) {
			if (!n->words && sh_assign_name_len(p->tok_text, p->tok_len))
				r = append_word(p, &atail);
			else
				r = append_word(p, &wtail);
		} else if (is_redir_tok(t)) {
			r = parse_redir(p, &rtail);
		} else {
			break;
		}
		if (r != 0)
			return r;
	}
	if (!n->words && !n->assigns && !n->redirs)
		return unexpected(p);
	*out = n;
	return 0;
}

/* Expect the reserved word w, then take it. */
static int expect(struct sh_parser *p, const char *w)
{
	if (!is_word(p, w))
		return unexpected(p);
	take(p);
	return 0;
}

static int parse_if(struct sh_parser *p, struct sh_node **out)
{
	struct sh_node *n = new_node(p, SH_IF);
	if (!n)
		return nospc(p);
	take(p); /* if / elif */
	int r = parse_list(p, &n->a);
	if (r == 0)
		r = expect(p, "then");
	if (r == 0)
		r = parse_list(p, &n->b);
	if (r != 0)
		return r;
	if (is_word(p, "elif")) {
		if (p->depth >= SH_MAX_DEPTH)
			return limit(p, "nesting too deep");
		p->depth++;
		r = parse_if(p, &n->c);
		p->depth--;
		*out = n;
		return r; /* the inner if took the "fi" */
	}
	if (is_word(p, "else")) {
		take(p);
		r = parse_list(p, &n->c);
		if (r != 0)
			return r;
	}
	r = expect(p, "fi");
	*out = n;
	return r;
}

static int parse_loop(struct sh_parser *p, enum sh_kind kind, struct sh_node **out)
{
	struct sh_node *n = new_node(p, kind);
	if (!n)
		return nospc(p);
	take(p);
	int r = parse_list(p, &n->a);
	if (r == 0)
		r = expect(p, "do");
	if (r == 0)
		r = parse_list(p, &n->b);
	if (r == 0)
		r = expect(p, "done");
	*out = n;
	return r;
}

static int parse_for(struct sh_parser *p, struct sh_node **out)
{
	struct sh_node *n = new_node(p, SH_FOR);
	if (!n)
		return nospc(p);
	take(p);
	if (peek(p) != T_WORD)
		return unexpected(p);
	if (!sh_is_name(p->tok_text, p->tok_len))
		return syntax_tok(p);
	n->name.text = p->tok_text;
	n->name.len = p->tok_len;
	take(p);
	linebreak(p);
	int r;
	if (is_word(p, "in")) {
		take(p);
		n->has_in = true;
		struct sh_word **tail = &n->words;
		while (peek(p) == T_WORD)
			if ((r = append_word(p, &tail)) != 0)
				return r;
		if (p->tok != T_SEMI && p->tok != T_NEWLINE)
			return unexpected(p);
		take(p);
	} else if (peek(p) == T_SEMI) {
		take(p);
	}
	linebreak(p);
	r = expect(p, "do");
	if (r == 0)
		r = parse_list(p, &n->b);
	if (r == 0)
		r = expect(p, "done");
	*out = n;
	return r;
}

static int parse_command(struct sh_parser *p, struct sh_node **out)
{
	int r;
	if (p->depth >= SH_MAX_DEPTH)
		return limit(p, "nesting too deep");
	p->depth++;
	if (is_word(p, "if"))
		r = parse_if(p, out);
	else if (is_word(p, "while"))
		r = parse_loop(p, SH_WHILE, out);
	else if (is_word(p, "until"))
		r = parse_loop(p, SH_UNTIL, out);
	else if (is_word(p, "for"))
		r = parse_for(p, out);
	else if (is_word(p, "{")) {
		struct sh_node *n = new_node(p, SH_GROUP);
		if (!n)
			return nospc(p);
		take(p);
		r = parse_list(p, &n->a);
		if (r == 0)
			r = expect(p, "}");
		*out = n;
	} else if (at_closer(p) || is_word(p, "in") || peek(p) == T_LPAREN) {
		r = p->tok == T_LPAREN ? syntax(p, "(", 1) : syntax_tok(p);
	} else {
		r = parse_simple(p, out);
		p->depth--;
		return r;
	}
	p->depth--;
	if (r == 0)
		r = parse_redirs(p, &(*out)->redirs);
	return r;
}

static int parse_pipeline(struct sh_parser *p, struct sh_node **out)
{
	bool bang = false;
	if (is_word(p, "!")) {
		take(p);
		bang = true;
	}
	struct sh_node *first;
	int r = parse_command(p, &first);
	if (r != 0)
		return r;
	if (peek(p) == T_PIPE) {
		struct sh_node *pipe = new_node(p, SH_PIPE);
		if (!pipe)
			return nospc(p);
		take(p);
		linebreak(p);
		pipe->a = first;
		if (p->depth >= SH_MAX_DEPTH)
			return limit(p, "pipeline too long");
		p->depth++;
		r = parse_pipeline(p, &pipe->b);
		p->depth--;
		if (r != 0)
			return r;
		if (pipe->b->kind == SH_NOT)
			return syntax(p, "!", 1);
		first = pipe;
	}
	if (bang) {
		struct sh_node *n = new_node(p, SH_NOT);
		if (!n)
			return nospc(p);
		n->a = first;
		first = n;
	}
	*out = first;
	return 0;
}

static int parse_and_or(struct sh_parser *p, struct sh_node **out)
{
	struct sh_node *left;
	int r = parse_pipeline(p, &left);
	if (r != 0)
		return r;
	for (unsigned chain = 0; peek(p) == T_AND || p->tok == T_OR; chain++) {
		if (chain >= SH_MAX_CHAIN)
			return limit(p, "&& || chain too long");
		struct sh_node *n = new_node(p, p->tok == T_AND ? SH_AND : SH_OR);
		if (!n)
			return nospc(p);
		take(p);
		linebreak(p);
		n->a = left;
		r = parse_pipeline(p, &n->b);
		if (r != 0)
			return r;
		left = n;
	}
	*out = left;
	return 0;
}

/* Join *acc and n into a sequence (acc ; n), or make n the start. */
static int seq_append(struct sh_parser *p, struct sh_node **acc, struct sh_node ***last,
		      struct sh_node *n)
{
	if (!*acc) {
		*acc = n;
		*last = acc;
		return 0;
	}
	struct sh_node *s = new_node(p, SH_SEQ);
	if (!s)
		return nospc(p);
	s->a = **last;
	s->b = n;
	**last = s;
	*last = &s->b;
	return 0;
}

/* Wrap n in SH_BG when followed by '&' (taking the separator). */
static int separator(struct sh_parser *p, struct sh_node **n)
{
	if (peek(p) == T_AMP) {
		struct sh_node *bg = new_node(p, SH_BG);
		if (!bg)
			return nospc(p);
		bg->a = *n;
		*n = bg;
		take(p);
		return 1;
	}
	if (p->tok == T_SEMI) {
		take(p);
		return 1;
	}
	return 0;
}

/* A compound list up to a closing reserved word; an empty one is an error. */
static int parse_list(struct sh_parser *p, struct sh_node **out)
{
	struct sh_node *acc = NULL, **last = NULL;
	linebreak(p);
	for (;;) {
		if (peek(p) < 0)
			return SH_INCOMPLETE;
		if (p->tok == T_EOF)
			return incomplete(p);
		if (at_closer(p))
			break;
		struct sh_node *n;
		int r = parse_and_or(p, &n);
		if (r != 0)
			return r;
		int sep = separator(p, &n);
		if (sep < 0)
			return sep;
		if (sep == 0 && peek(p) != T_NEWLINE && !at_closer(p))
			return unexpected(p);
		if ((r = seq_append(p, &acc, &last, n)) != 0)
			return r;
		linebreak(p);
	}
	if (!acc)
		return syntax_tok(p);
	*out = acc;
	return 0;
}

int sh_parse_next(struct sh_parser *p, struct sh_node **out)
{
	p->tok = T_NONE;
	p->incomplete = false;
	p->depth = 0;
	*out = NULL;
	linebreak(p);
	int t = peek(p);
	if (t < 0)
		return SH_INCOMPLETE;
	if (t == T_EOF)
		return SH_EOF;
	struct sh_node *acc = NULL, **last = NULL;
	for (;;) {
		struct sh_node *n;
		int r = parse_and_or(p, &n);
		if (r != 0)
			return r;
		int sep = separator(p, &n);
		if (sep < 0)
			return sep;
		if ((r = seq_append(p, &acc, &last, n)) != 0)
			return r;
		t = peek(p);
		if (t < 0)
			return SH_INCOMPLETE;
		if (t == T_NEWLINE || t == T_EOF)
			break;
		if (sep == 0)
			return syntax_tok(p); /* "a )", "a fi" */
	}
	if (p->tok == T_NEWLINE)
		take(p);
	*out = acc;
	return 0;
}
