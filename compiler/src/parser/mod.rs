//! Parser. In: source text (tokenized by `lexer`). Out: an `ast::Module`, or the first
//! `CompileError`. Next: `fold`.
//!
//! Recursive descent with one function per grammar rule, named after the rule in CPython's
//! grammar (`or_test`, `comparison`, `factor`, ...), so later syntax slots in beside them.
//! Simple statements live in `stmt`, compound ones in `compound`, expressions in `expr` down to
//! `primary` (atoms), `trailer` (calls, subscripts, slices), `display` (brackets),
//! `comprehension`, `fstring`, `params` (parameter lists of `def` and `lambda`), `def`
//! (functions, classes, decorators), target checks in `target`, and `walk` (searching a parsed
//! expression for the checks CPython's compiler makes). Syntax outside MicroPython's
//! dialect (`match`, `except*`, positional-only parameters, ...) is rejected with a message
//! naming it. Errors CPython finds only when compiling (`return` or `yield` outside a function,
//! `break`/`continue` outside a loop, binding `__debug__`, duplicate parameters or keywords, a
//! bare `except:` not last, `import *` in a function, misplaced `await`, starred expressions
//! where no sequence is built) are reported once the whole file has parsed, so a syntax error
//! anywhere comes first, and code in dead branches is still checked before `fold` removes it. Lexical errors are
//! ranked against syntax errors as CPython does (`lexer::Precedence`).

mod compound;
mod comprehension;
mod def;
mod display;
mod expr;
mod fstring;
mod params;
mod primary;
mod stmt;
mod target;
mod trailer;
mod walk;

use crate::ast::{Module, Span};
use crate::diag::{CompileError, Warning, line_col};
use crate::lexer::{self, Precedence, Tok, Token};

/// Deepest nesting of expressions (parentheses, unary operators, `**`, conditional expressions)
/// the parser accepts; the recursive stages after it (fold, codegen) rely on this bound too.
const MAX_EXPR_DEPTH: usize = 100;
/// Deepest expression tree, counting left-nested chains (`a + b + c`, `f(x)(y)[z]`) as well:
/// far beyond real programs, and it bounds the recursion of every later stage (and of `Drop`).
const MAX_AST_DEPTH: usize = 1000;

/// Parses a whole source file.
pub fn parse(source: &str) -> Result<Module, CompileError> {
    parse_with_warnings(source).map(|(module, _)| module)
}

/// Parses a whole source file, also returning the warnings about its literals.
pub fn parse_with_warnings(source: &str) -> Result<(Module, Vec<Warning>), CompileError> {
    let lexed = lexer::tokenize(source);
    let mut parser = Parser {
        src: source,
        tokens: &lexed.tokens,
        pos: 0,
        depth: 0,
        ast_depth: 0,
        in_function: false,
        in_async: false,
        in_scope: false,
        in_loop: false,
        deferred: None,
        warnings: lexed.warnings.clone(),
    };
    let result = parser.file();
    match lexed.error {
        None => result.map(|module| (module, parser.warnings)),
        Some(lex_error) => Err(parser.first_error(result.err(), lex_error, lexed.precedence)),
    }
}

struct Parser<'a> {
    src: &'a str,
    /// Warnings so far: the lexer's, then those about f-string literal text.
    warnings: Vec<Warning>,
    tokens: &'a [Token],
    pos: usize,
    /// Current expression nesting, bounded by `MAX_EXPR_DEPTH`.
    depth: usize,
    /// Current depth of the expression tree being built, bounded by `MAX_AST_DEPTH`.
    ast_depth: usize,
    /// Inside a function body or lambda (where `return` and `yield` may go).
    in_function: bool,
    /// Inside an `async def` body (where `await`, `async for` and `async with` may go).
    in_async: bool,
    /// Inside any function or class body (where `import *` may not go).
    in_scope: bool,
    in_loop: bool,
    /// The first compile-phase error (see the module doc), reported once the file has parsed.
    deferred: Option<CompileError>,
}

/// String equality for short operator and keyword spellings, byte by byte: the parser asks
/// "is this token `x`?" for every level of every expression, and a `memcmp` call per question
/// cost a quarter of parsing time.
#[inline]
fn same(a: &str, b: &str) -> bool {
    let (a, b) = (a.as_bytes(), b.as_bytes());
    a.len() == b.len() && a.iter().zip(b).all(|(x, y)| x == y)
}

/// The token after the end of the stream (the lexer always ends it with END_OF_FILE).
static END: Token = Token {
    tok: Tok::EndOfFile,
    span: Span { start: 0, end: 0 },
};

impl<'a> Parser<'a> {
    fn file(&mut self) -> Result<Module, CompileError> {
        let mut body = Vec::new();
        while !self.at(&Tok::EndOfFile) {
            self.statement(&mut body)?;
        }
        match self.deferred.take() {
            Some(e) => Err(e),
            None => Ok(Module { body }),
        }
    }

    /// Which error to report when lexing stopped early: the stream ends at the lexical error,
    /// and the parser may have failed before reaching it; then `Precedence` decides, as CPython.
    fn first_error(
        &self,
        parser_error: Option<CompileError>,
        lex_error: CompileError,
        precedence: Precedence,
    ) -> CompileError {
        // INDENT/DEDENT just before the stop belong to the line that stopped the lexer.
        let mut stop = self.tokens.len().saturating_sub(1);
        while stop > 0
            && self
                .tokens
                .get(stop - 1)
                .is_some_and(|t| matches!(t.tok, Tok::Indent | Tok::Dedent))
        {
            stop -= 1;
        }
        let Some(parser_error) = parser_error.filter(|_| self.pos < stop) else {
            return lex_error;
        };
        // CPython reports an unexpected INDENT as soon as it sees it, without scanning further.
        let unexpected_indent = parser_error.kind == "IndentationError" && self.at(&Tok::Indent);
        let lex_wins = match precedence {
            Precedence::Overrides => !unexpected_indent,
            Precedence::WhereMet => false,
            // CPython compares the line of the last token its parser read, not of the error.
            Precedence::Unclosed => self.line_of(self.span()) > self.line_of(lex_error.span),
        };
        if lex_wins { lex_error } else { parser_error }
    }

    /// Records an error that is reported only if the rest of the file parses.
    fn defer(&mut self, error: CompileError) {
        self.deferred.get_or_insert(error);
    }

    fn token(&self) -> &'a Token {
        self.tokens.get(self.pos).unwrap_or(&END)
    }

    fn peek(&self) -> &'a Tok {
        &self.token().tok
    }

    fn peek_at(&self, ahead: usize) -> &'a Tok {
        self.tokens
            .get(self.pos + ahead)
            .map_or(&Tok::EndOfFile, |t| &t.tok)
    }

    fn span(&self) -> Span {
        self.token().span
    }

    fn advance(&mut self) -> &'a Token {
        let t = self.token();
        if self.pos < self.tokens.len() {
            self.pos += 1;
        }
        t
    }

    fn at(&self, tok: &Tok) -> bool {
        self.peek() == tok
    }

    fn at_op(&self, op: &str) -> bool {
        matches!(self.peek(), Tok::Op(o) if same(o, op))
    }

    fn at_kw(&self, kw: &str) -> bool {
        matches!(self.peek(), Tok::Kw(k) if same(k, kw))
    }

    fn eat_op(&mut self, op: &str) -> Option<Span> {
        self.at_op(op).then(|| self.advance().span)
    }

    fn eat_kw(&mut self, kw: &str) -> Option<Span> {
        self.at_kw(kw).then(|| self.advance().span)
    }

    fn expect_op(&mut self, op: &str) -> Result<Span, CompileError> {
        match self.eat_op(op) {
            Some(span) => Ok(span),
            None if op == ":" && self.at(&Tok::Newline) => {
                Err(CompileError::syntax("expected ':'", self.span()))
            }
            None => Err(self.unexpected()),
        }
    }

    fn expect_newline(&mut self) -> Result<(), CompileError> {
        if self.at(&Tok::Newline) {
            self.advance();
            return Ok(());
        }
        Err(self.unexpected())
    }

    /// End offset of the last token consumed, not counting NEWLINE/INDENT/DEDENT.
    fn last_end(&self) -> u32 {
        self.tokens
            .get(..self.pos)
            .unwrap_or(&[])
            .iter()
            .rev()
            .find(|t| !matches!(t.tok, Tok::Newline | Tok::Indent | Tok::Dedent))
            .map_or(0, |t| t.span.end)
    }

    fn span_from(&self, start: Span) -> Span {
        Span::new(start.start, self.last_end().max(start.end))
    }

    fn line_of(&self, span: Span) -> u32 {
        line_col(self.src, span.start).0
    }

    /// The error for a token that cannot go here: an INDENT is an `unexpected indent`,
    /// anything else is `invalid syntax`.
    fn unexpected(&self) -> CompileError {
        let span = self.span();
        match self.peek() {
            Tok::Indent => CompileError::new("IndentationError", "unexpected indent", span),
            _ => CompileError::syntax("invalid syntax", span),
        }
    }

    /// Runs `body` with the given function context, restoring the outer one afterwards.
    fn in_context<T>(
        &mut self,
        function: bool,
        is_async: bool,
        body: impl FnOnce(&mut Self) -> T,
    ) -> T {
        let outer = (self.in_function, self.in_async, self.in_scope, self.in_loop);
        self.in_function = function;
        self.in_async = is_async;
        self.in_scope = true;
        self.in_loop = false;
        let result = body(self);
        (self.in_function, self.in_async, self.in_scope, self.in_loop) = outer;
        result
    }

    /// Enters one level of expression nesting (a recursive call of the parser).
    fn enter(&mut self) -> Result<(), CompileError> {
        self.depth += 1;
        if self.depth > MAX_EXPR_DEPTH {
            return Err(self.too_deep());
        }
        self.deepen(1)
    }

    fn leave(&mut self) {
        self.depth = self.depth.saturating_sub(1);
        self.shallow(1);
    }

    /// The tree grows `n` levels deeper without recursion (one more link of a left chain).
    fn deepen(&mut self, n: usize) -> Result<(), CompileError> {
        self.ast_depth += n;
        if self.ast_depth > MAX_AST_DEPTH {
            return Err(self.too_deep());
        }
        Ok(())
    }

    fn shallow(&mut self, n: usize) {
        self.ast_depth = self.ast_depth.saturating_sub(n);
    }

    fn too_deep(&self) -> CompileError {
        CompileError::syntax("expression nested too deeply", self.span())
    }
}
