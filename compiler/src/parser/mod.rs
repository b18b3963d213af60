//! Parser. In: source text (tokenized by `lexer`). Out: an `ast::Module`, or the first
//! `CompileError`. Next: `fold`.
//!
//! Recursive descent with one function per grammar rule, named after the rule in CPython's
//! grammar (`or_test`, `comparison`, `factor`, ...), so later syntax slots in beside them.
//! Statements live in `stmt`, expressions in `expr`, target checks in `target`. Syntax outside
//! the supported subset (class, lambda, slices, ...) is rejected with a message naming it.
//! The parser also rejects `return` outside a function and `break`/`continue` outside a loop.

mod expr;
mod stmt;
mod target;

use crate::ast::{Module, Span};
use crate::diag::{CompileError, line_col};
use crate::lexer::{self, Tok, Token};

/// Deepest nesting of expressions (parentheses, unary operators, `**`, conditional expressions)
/// the parser accepts; the recursive stages after it (fold, codegen) rely on this bound too.
const MAX_EXPR_DEPTH: usize = 100;
/// Deepest expression tree, counting left-nested chains (`a + b + c`, `f(x)(y)[z]`) as well:
/// far beyond real programs, and it bounds the recursion of every later stage (and of `Drop`).
const MAX_AST_DEPTH: usize = 1000;

/// Parses a whole source file.
pub fn parse(source: &str) -> Result<Module, CompileError> {
    let tokens = lexer::tokenize(source)?;
    let mut parser = Parser {
        src: source,
        tokens: &tokens,
        pos: 0,
        depth: 0,
        ast_depth: 0,
        in_function: false,
        in_loop: false,
    };
    parser.file()
}

struct Parser<'a> {
    src: &'a str,
    tokens: &'a [Token],
    pos: usize,
    /// Current expression nesting, bounded by `MAX_EXPR_DEPTH`.
    depth: usize,
    /// Current depth of the expression tree being built, bounded by `MAX_AST_DEPTH`.
    ast_depth: usize,
    in_function: bool,
    in_loop: bool,
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
        Ok(Module { body })
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
        matches!(self.peek(), Tok::Op(o) if *o == op)
    }

    fn at_kw(&self, kw: &str) -> bool {
        matches!(self.peek(), Tok::Kw(k) if *k == kw)
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
            None if op == ":" => Err(CompileError::syntax("expected ':'", self.span())),
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

    /// The error for a token that cannot go here: syntax outside the subset is named, an
    /// INDENT is an `unexpected indent`, anything else is `invalid syntax`.
    fn unexpected(&self) -> CompileError {
        let span = self.span();
        match self.peek() {
            Tok::Indent => CompileError::new("IndentationError", "unexpected indent", span),
            Tok::Kw(k) if UNSUPPORTED_KEYWORDS.contains(k) => {
                CompileError::syntax(format!("'{k}' is not supported yet"), span)
            }
            Tok::Op(":=") => {
                CompileError::syntax("assignment expressions (':=') are not supported yet", span)
            }
            _ => CompileError::syntax("invalid syntax", span),
        }
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

/// Keywords of constructs that arrive in a later issue.
const UNSUPPORTED_KEYWORDS: [&str; 7] = [
    "class", "lambda", "with", "yield", "async", "await", "nonlocal",
];
