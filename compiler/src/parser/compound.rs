//! Compound statements. In: the token stream at `if`, `while`, `for`, `try` or `def`. Out:
//! the statement with its blocks. A block is an indented suite after NEWLINE, or simple
//! statements on the header's line.

use super::Parser;
use super::target::equals_hint;
use crate::ast::{ExceptHandler, Expr, FunctionDef, Param, Parameters, Span, Stmt, StmtKind};
use crate::diag::CompileError;
use crate::lexer::Tok;

type PResult<T> = Result<T, CompileError>;

impl Parser<'_> {
    /// `':' block`: an indented block after NEWLINE, or simple statements on the same line.
    /// `what` names the statement for CPython's "expected an indented block after ..." message.
    fn block(&mut self, what: &str, header: Span) -> PResult<Vec<Stmt>> {
        // CPython's grammar forces the colon after these headers ("expected ':'" wherever it is
        // missing); after `if`, `elif`, `while` and `except` only before the end of the line.
        let forced = matches!(
            what,
            "function definition"
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

    /// `for_stmt: 'for' exprlist 'in' testlist ':' block ['else' ':' block]`
    pub(super) fn for_stmt(&mut self) -> PResult<StmtKind> {
        let header = self.advance().span;
        let target = self.exprlist()?;
        self.target(&target, "assign to")?;
        if self.eat_kw("in").is_none() {
            return Err(self.unexpected());
        }
        let iter = self.testlist()?;
        let body = self.loop_block("'for' statement", header)?;
        let orelse = self.else_block()?;
        Ok(StmtKind::For {
            is_async: false,
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
                "'except*' is not supported yet",
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

    /// `funcdef: 'def' NAME '(' [params] ')' ['->' test] ':' block`
    pub(super) fn function_def(&mut self) -> PResult<StmtKind> {
        let header = self.advance().span;
        let name = self.ident()?;
        if self.eat_op("(").is_none() {
            return Err(CompileError::syntax("expected '('", self.span()));
        }
        let params = self.params()?;
        let returns = self.eat_op("->").map(|_| self.test()).transpose()?;
        let outer = (self.in_function, self.in_loop);
        self.in_function = true;
        self.in_loop = false;
        let body = self.block("function definition", header);
        (self.in_function, self.in_loop) = outer;
        Ok(StmtKind::FunctionDef(Box::new(FunctionDef {
            name,
            params: Parameters {
                args: params,
                ..Parameters::default()
            },
            returns,
            body: body?,
            decorators: Vec::new(),
            is_async: false,
        })))
    }

    /// Positional parameters up to the closing `)`: `NAME [':' test] ['=' test]`, comma-separated.
    fn params(&mut self) -> PResult<Vec<Param>> {
        let mut params: Vec<Param> = Vec::new();
        while self.eat_op(")").is_none() {
            if let Tok::Op(op @ ("*" | "**" | "/")) = self.peek() {
                return Err(CompileError::syntax(
                    format!("'{op}' in parameter lists is not supported yet"),
                    self.span(),
                ));
            }
            let name = self.ident()?;
            if params.iter().any(|p| p.name.name == name.name) {
                let message = format!("duplicate argument '{}' in function definition", name.name);
                self.defer(CompileError::syntax(message, name.span));
            }
            let annotation = self.eat_op(":").map(|_| self.test()).transpose()?;
            let default = self.eat_op("=").map(|_| self.test()).transpose()?;
            if default.is_none() && params.iter().any(|p| p.default.is_some()) {
                return Err(CompileError::syntax(
                    "non-default argument follows default argument",
                    name.span,
                ));
            }
            params.push(Param {
                name,
                annotation,
                default,
            });
            if self.eat_op(",").is_none() {
                self.expect_op(")")?;
                break;
            }
        }
        Ok(params)
    }

    /// The test of `if`, `elif` or `while`, with CPython's hint for `=` written for `==`.
    fn condition(&mut self) -> PResult<Expr> {
        let test = self.test()?;
        if self.at_op("=")
            && let Some(hint) = equals_hint(&test)
        {
            return Err(hint);
        }
        Ok(test)
    }
}
