//! Compound statements. In: the token stream at `if`, `while`, `for`, `try`, `with` or `async`.
//! Out: the statement with its blocks. A block is an indented suite after NEWLINE, or simple
//! statements on the header's line.

use super::Parser;
use super::target::equals_hint;
use crate::ast::{ExceptHandler, Expr, Span, Stmt, StmtKind, WithItem};
use crate::diag::CompileError;
use crate::lexer::Tok;

type PResult<T> = Result<T, CompileError>;

impl Parser<'_> {
    /// `':' block`: an indented block after NEWLINE, or simple statements on the same line.
    /// `what` names the statement for CPython's "expected an indented block after ..." message.
    pub(super) fn block(&mut self, what: &str, header: Span) -> PResult<Vec<Stmt>> {
        // CPython's grammar forces the colon after these headers ("expected ':'" wherever it is
        // missing); after `if`, `elif`, `while` and `except` only before the end of the line.
        let forced = matches!(
            what,
            "function definition"
                | "class definition"
                | "'for' statement"
                | "'try' statement"
                | "'finally' statement"
                | "'else' statement"
        );
        if forced && !self.at_op(":") {
            return Err(CompileError::syntax("expected ':'", self.span()));
        }
        self.expect_op(":")?;
        let mut body = Vec::new();
        if !self.at(&Tok::Newline) {
            self.simple_stmts(&mut body)?;
            return Ok(body);
        }
        self.advance();
        if !self.at(&Tok::Indent) {
            return Err(CompileError::new(
                "IndentationError",
                format!(
                    "expected an indented block after {what} on line {}",
                    self.line_of(header)
                ),
                self.span(),
            ));
        }
        self.advance();
        while !self.at(&Tok::Dedent) && !self.at(&Tok::EndOfFile) {
            self.statement(&mut body)?;
        }
        if self.at(&Tok::Dedent) {
            self.advance();
        }
        Ok(body)
    }

    /// `async` before `def`, `for` or `with`.
    pub(super) fn async_stmt(&mut self) -> PResult<StmtKind> {
        let start = self.advance().span;
        let what = match self.peek() {
            Tok::Kw("def") => return self.function_def(Vec::new(), true),
            Tok::Kw("for") => "for",
            Tok::Kw("with") => "with",
            _ => return Err(self.unexpected()),
        };
        if !self.in_async {
            self.defer(CompileError::syntax(
                format!("'async {what}' outside async function"),
                start,
            ));
        }
        match what {
            "for" => self.for_stmt(true),
            _ => self.with_stmt(true),
        }
    }

    /// `with_stmt: 'with' with_item (',' with_item)* ':' block`; after `async` when `is_async`.
    /// Parenthesised items (`with (a as b, c):`) are outside MicroPython's dialect.
    pub(super) fn with_stmt(&mut self, is_async: bool) -> PResult<StmtKind> {
        let header = self.advance().span;
        if self.at_op("(") && self.parenthesised_with_items() {
            return Err(CompileError::syntax(
                "parenthesized context managers are not supported by MicroPython",
                self.span(),
            ));
        }
        let mut items = Vec::new();
        loop {
            let context = self.test()?;
            let target = match self.eat_kw("as") {
                Some(_) => {
                    let t = self.with_target()?;
                    self.target(&t, "assign to")?;
                    Some(t)
                }
                None => None,
            };
            items.push(WithItem { context, target });
            if self.eat_op(",").is_none() {
                break;
            }
        }
        let body = self.block("'with' statement", header)?;
        Ok(StmtKind::With {
            is_async,
            items,
            body,
        })
    }

    /// A `with` target: `star_target`, a single expression or a parenthesised tuple.
    fn with_target(&mut self) -> PResult<Expr> {
        self.expr()
    }

    /// Whether the `(` after `with` opens a parenthesised list of items: its matching `)` is
    /// followed by `:` and it holds `as` or a comma at its own level.
    fn parenthesised_with_items(&self) -> bool {
        let mut depth = 0usize;
        let mut items = false;
        for (i, t) in self.tokens.iter().enumerate().skip(self.pos) {
            match t.tok {
                Tok::Op("(" | "[" | "{") => depth += 1,
                Tok::Op(")" | "]" | "}") => {
                    depth = depth.saturating_sub(1);
                    if depth == 0 {
                        let next = self.tokens.get(i + 1).map(|t| &t.tok);
                        return items && next == Some(&Tok::Op(":"));
                    }
                }
                Tok::Kw("as") | Tok::Op(",") if depth == 1 => items = true,
                Tok::Newline | Tok::EndOfFile => return false,
                _ => {}
            }
        }
        false
    }

    /// A loop body: `break` and `continue` are allowed inside it.
    fn loop_block(&mut self, what: &str, header: Span) -> PResult<Vec<Stmt>> {
        let outer = core::mem::replace(&mut self.in_loop, true);
        let body = self.block(what, header);
        self.in_loop = outer;
        body
    }

    /// `'else' ':' block`, if present.
    fn else_block(&mut self) -> PResult<Vec<Stmt>> {
        match self.eat_kw("else") {
            Some(span) => self.block("'else' statement", span),
            None => Ok(Vec::new()),
        }
    }

    /// `if_stmt: 'if' test ':' block ('elif' test ':' block)* ['else' ':' block]`; an `elif`
    /// becomes an `If` alone in the `orelse` of the one before.
    pub(super) fn if_stmt(&mut self) -> PResult<StmtKind> {
        self.if_clause("'if' statement")
    }

    /// One `if` or `elif` clause and everything after it; `what` names it for block errors.
    fn if_clause(&mut self, what: &str) -> PResult<StmtKind> {
        let header = self.advance().span;
        let test = self.condition()?;
        let body = self.block(what, header)?;
        let orelse = if self.at_kw("elif") {
            let start = self.span();
            let kind = self.if_clause("'elif' statement")?;
            vec![Stmt {
                kind,
                span: self.span_from(start),
            }]
        } else {
            self.else_block()?
        };
        Ok(StmtKind::If { test, body, orelse })
    }

    pub(super) fn while_stmt(&mut self) -> PResult<StmtKind> {
        let header = self.advance().span;
        let test = self.condition()?;
        let body = self.loop_block("'while' statement", header)?;
        let orelse = self.else_block()?;
        Ok(StmtKind::While { test, body, orelse })
    }

    /// `for_stmt: 'for' exprlist 'in' star_expressions ':' block ['else' ':' block]`; after
    /// `async` when `is_async`.
    pub(super) fn for_stmt(&mut self, is_async: bool) -> PResult<StmtKind> {
        let header = self.advance().span;
        let target = self.exprlist()?;
        self.target(&target, "assign to")?;
        if self.eat_kw("in").is_none() {
            return Err(self.unexpected());
        }
        let iter = self.testlist_star_expr()?;
        self.check_bare_starred(&iter);
        let body = self.loop_block("'for' statement", header)?;
        let orelse = self.else_block()?;
        Ok(StmtKind::For {
            is_async,
            target,
            iter,
            body,
            orelse,
        })
    }

    /// `try_stmt`: `try` block, handlers, optional `else`, optional `finally`.
    pub(super) fn try_stmt(&mut self) -> PResult<StmtKind> {
        let header = self.advance().span;
        let body = self.block("'try' statement", header)?;
        let mut handlers: Vec<ExceptHandler> = Vec::new();
        while self.at_kw("except") {
            // Found by CPython's compiler, so reported only if the whole file parses.
            if let Some(bare) = handlers.iter().find(|h| h.type_.is_none()) {
                let error = CompileError::syntax("default 'except:' must be last", bare.span);
                self.defer(error);
            }
            handlers.push(self.except_handler()?);
        }
        let orelse = if handlers.is_empty() {
            Vec::new()
        } else {
            self.else_block()?
        };
        let finalbody = match self.eat_kw("finally") {
            Some(span) => self.block("'finally' statement", span)?,
            None if handlers.is_empty() => {
                return Err(CompileError::syntax(
                    "expected 'except' or 'finally' block",
                    self.span(),
                ));
            }
            None => Vec::new(),
        };
        Ok(StmtKind::Try {
            body,
            handlers,
            orelse,
            finalbody,
        })
    }

    /// `except_clause: 'except' [test ['as' NAME]] ':' block`
    fn except_handler(&mut self) -> PResult<ExceptHandler> {
        let header = self.advance().span;
        if self.at_op("*") {
            return Err(CompileError::syntax(
                "'except*' is not supported by MicroPython",
                self.span(),
            ));
        }
        let mut type_ = None;
        let mut name = None;
        if !self.at_op(":") {
            let t = self.test()?;
            if self.at_op(",") {
                return Err(CompileError::syntax(
                    "multiple exception types must be parenthesized",
                    t.span,
                ));
            }
            type_ = Some(t);
            name = self.eat_kw("as").map(|_| self.ident()).transpose()?;
        }
        let body = self.block("'except' statement", header)?;
        Ok(ExceptHandler {
            type_,
            name,
            body,
            span: self.span_from(header),
        })
    }

    /// The test of `if`, `elif` or `while`, with CPython's hint for `=` written for `==`.
    fn condition(&mut self) -> PResult<Expr> {
        let test = self.named_expression()?;
        if self.at_op("=")
            && let Some(hint) = equals_hint(&test)
        {
            return Err(hint);
        }
        Ok(test)
    }
}
