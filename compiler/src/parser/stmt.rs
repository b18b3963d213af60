//! Statement rules. In: the token stream at the start of a statement. Out: `ast::Stmt`s.
//! Simple statements (`simple_stmts`, `expr_stmt`, `import`, ...) and compound ones (`if`,
//! `while`, `for`, `try`, `def`) with their indented or one-line blocks.

use super::Parser;
use super::target::{check_ann_target, check_aug_target, check_target};
use crate::ast::{Alias, BinaryOp, ExceptHandler, FunctionDef, Ident, Param, Span, Stmt, StmtKind};
use crate::diag::CompileError;
use crate::lexer::Tok;

/// Augmented assignment operators and their binary operation.
const AUG_OPS: [(&str, BinaryOp); 13] = [
    ("+=", BinaryOp::Add),
    ("-=", BinaryOp::Sub),
    ("*=", BinaryOp::Mul),
    ("@=", BinaryOp::MatMul),
    ("/=", BinaryOp::TrueDiv),
    ("//=", BinaryOp::FloorDiv),
    ("%=", BinaryOp::Mod),
    ("**=", BinaryOp::Pow),
    ("<<=", BinaryOp::LShift),
    (">>=", BinaryOp::RShift),
    ("&=", BinaryOp::And),
    ("|=", BinaryOp::Or),
    ("^=", BinaryOp::Xor),
];

type PResult<T> = Result<T, CompileError>;

impl Parser<'_> {
    /// `statement: compound_stmt | simple_stmts`; appends to `out` (a line may hold several).
    pub(super) fn statement(&mut self, out: &mut Vec<Stmt>) -> PResult<()> {
        let start = self.span();
        let kind = match self.peek() {
            Tok::Kw("if") => self.if_stmt()?,
            Tok::Kw("while") => self.while_stmt()?,
            Tok::Kw("for") => self.for_stmt()?,
            Tok::Kw("try") => self.try_stmt()?,
            Tok::Kw("def") => self.function_def()?,
            Tok::Op("@") => {
                return Err(CompileError::syntax(
                    "decorators are not supported yet",
                    start,
                ));
            }
            _ => return self.simple_stmts(out),
        };
        out.push(Stmt {
            kind,
            span: self.span_from(start),
        });
        Ok(())
    }

    /// `simple_stmts: small_stmt (';' small_stmt)* [';'] NEWLINE`
    fn simple_stmts(&mut self, out: &mut Vec<Stmt>) -> PResult<()> {
        loop {
            let start = self.span();
            let kind = self.small_stmt()?;
            out.push(Stmt {
                kind,
                span: self.span_from(start),
            });
            if self.eat_op(";").is_none() || self.at(&Tok::Newline) {
                break;
            }
        }
        self.expect_newline()
    }

    fn small_stmt(&mut self) -> PResult<StmtKind> {
        let start = self.span();
        let Tok::Kw(kw) = self.peek() else {
            return self.expr_stmt();
        };
        let kind = match *kw {
            "pass" => {
                self.advance();
                StmtKind::Pass
            }
            "break" | "continue" => {
                self.advance();
                if !self.in_loop {
                    let message = if *kw == "break" {
                        "'break' outside loop"
                    } else {
                        "'continue' not properly in loop"
                    };
                    return Err(CompileError::syntax(message, start));
                }
                if *kw == "break" {
                    StmtKind::Break
                } else {
                    StmtKind::Continue
                }
            }
            "return" => {
                self.advance();
                let value = self.at_expr_start().then(|| self.testlist()).transpose()?;
                if !self.in_function {
                    return Err(CompileError::syntax(
                        "'return' outside function",
                        self.span_from(start),
                    ));
                }
                StmtKind::Return(value)
            }
            "raise" => {
                self.advance();
                let exc = self.at_expr_start().then(|| self.test()).transpose()?;
                let cause = match exc {
                    Some(_) if self.eat_kw("from").is_some() => Some(self.test()?),
                    _ => None,
                };
                StmtKind::Raise { exc, cause }
            }
            "global" => {
                self.advance();
                let mut names = vec![self.ident()?];
                while self.eat_op(",").is_some() {
                    names.push(self.ident()?);
                }
                StmtKind::Global(names)
            }
            "del" => {
                self.advance();
                let mut targets = vec![self.expr()?];
                while self.eat_op(",").is_some() && self.at_expr_start() {
                    targets.push(self.expr()?);
                }
                for t in &targets {
                    check_target(t, "delete")?;
                }
                StmtKind::Delete(targets)
            }
            "assert" => {
                self.advance();
                let test = self.test()?;
                let msg = self.eat_op(",").map(|_| self.test()).transpose()?;
                StmtKind::Assert { test, msg }
            }
            "import" => self.import()?,
            "from" => self.import_from()?,
            _ => self.expr_stmt()?,
        };
        Ok(kind)
    }

    /// `expr_stmt`: an expression, an assignment chain, an augmented or annotated assignment.
    fn expr_stmt(&mut self) -> PResult<StmtKind> {
        let first = self.testlist_star_expr()?;
        if self.eat_op(":").is_some() {
            check_ann_target(&first)?;
            let annotation = self.test()?;
            let value = self.eat_op("=").map(|_| self.testlist()).transpose()?;
            return Ok(StmtKind::AnnAssign {
                target: first,
                annotation,
                value,
            });
        }
        if let Tok::Op(op) = self.peek()
            && let Some(&(_, op)) = AUG_OPS.iter().find(|(s, _)| s == op)
        {
            check_aug_target(&first)?;
            self.advance();
            let value = self.testlist()?;
            return Ok(StmtKind::AugAssign {
                target: first,
                op,
                value,
            });
        }
        if !self.at_op("=") {
            return Ok(StmtKind::Expr(first));
        }
        let mut targets = vec![first];
        while self.eat_op("=").is_some() {
            targets.push(self.testlist_star_expr()?);
        }
        let value = targets.pop().ok_or_else(|| self.unexpected())?;
        for t in &targets {
            check_target(t, "assign to")?;
        }
        Ok(StmtKind::Assign { targets, value })
    }

    /// `import dotted_as_names`
    fn import(&mut self) -> PResult<StmtKind> {
        self.advance();
        let mut names = vec![self.dotted_as_name()?];
        while self.eat_op(",").is_some() {
            names.push(self.dotted_as_name()?);
        }
        Ok(StmtKind::Import(names))
    }

    fn dotted_as_name(&mut self) -> PResult<Alias> {
        let name = self.dotted_name()?;
        let asname = self.eat_kw("as").map(|_| self.ident()).transpose()?;
        Ok(Alias { name, asname })
    }

    /// `NAME ('.' NAME)*` as one identifier spelled with its dots.
    fn dotted_name(&mut self) -> PResult<Ident> {
        let mut id = self.ident()?;
        while self.eat_op(".").is_some() {
            let part = self.ident()?;
            id.name.push('.');
            id.name.push_str(&part.name);
            id.span = id.span.to(part.span);
        }
        Ok(id)
    }

    /// `from ('.' | '...')* [dotted_name] import (names | '(' names [','] ')')`
    fn import_from(&mut self) -> PResult<StmtKind> {
        self.advance();
        let mut level = 0;
        loop {
            if self.eat_op(".").is_some() {
                level += 1;
            } else if self.eat_op("...").is_some() {
                level += 3;
            } else {
                break;
            }
        }
        let module = match self.peek() {
            Tok::Name(_) => Some(self.dotted_name()?),
            _ if level > 0 => None,
            _ => return Err(self.unexpected()),
        };
        if self.eat_kw("import").is_none() {
            return Err(self.unexpected());
        }
        if self.at_op("*") {
            return Err(CompileError::syntax(
                "'from ... import *' is not supported yet",
                self.span(),
            ));
        }
        let parens = self.eat_op("(").is_some();
        let mut names = vec![self.import_as_name()?];
        while let Some(comma) = self.eat_op(",") {
            if parens && self.at_op(")") {
                break;
            }
            if !parens && self.at(&Tok::Newline) {
                return Err(CompileError::syntax(
                    "trailing comma not allowed without surrounding parentheses",
                    Span::new(comma.end, comma.end),
                ));
            }
            names.push(self.import_as_name()?);
        }
        if parens {
            self.expect_op(")")?;
        }
        Ok(StmtKind::ImportFrom {
            module,
            names,
            level,
        })
    }

    fn import_as_name(&mut self) -> PResult<Alias> {
        let name = self.ident()?;
        let asname = self.eat_kw("as").map(|_| self.ident()).transpose()?;
        Ok(Alias { name, asname })
    }

    /// A NAME token as an identifier.
    pub(super) fn ident(&mut self) -> PResult<Ident> {
        match self.peek() {
            Tok::Name(name) => {
                let span = self.advance().span;
                Ok(Ident {
                    name: name.clone(),
                    span,
                })
            }
            _ => Err(self.unexpected()),
        }
    }

    /// `':' block`: an indented block after NEWLINE, or simple statements on the same line.
    /// `what` names the statement for CPython's "expected an indented block after ..." message.
    fn block(&mut self, what: &str, header: Span) -> PResult<Vec<Stmt>> {
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
    fn if_stmt(&mut self) -> PResult<StmtKind> {
        let header = self.advance().span;
        let test = self.test()?;
        let body = self.block("'if' statement", header)?;
        let orelse = if self.at_kw("elif") {
            let start = self.span();
            let kind = self.if_stmt_elif()?;
            vec![Stmt {
                kind,
                span: self.span_from(start),
            }]
        } else {
            self.else_block()?
        };
        Ok(StmtKind::If { test, body, orelse })
    }

    fn if_stmt_elif(&mut self) -> PResult<StmtKind> {
        let header = self.advance().span;
        let test = self.test()?;
        let body = self.block("'elif' statement", header)?;
        let orelse = if self.at_kw("elif") {
            let start = self.span();
            let kind = self.if_stmt_elif()?;
            vec![Stmt {
                kind,
                span: self.span_from(start),
            }]
        } else {
            self.else_block()?
        };
        Ok(StmtKind::If { test, body, orelse })
    }

    fn while_stmt(&mut self) -> PResult<StmtKind> {
        let header = self.advance().span;
        let test = self.test()?;
        let body = self.loop_block("'while' statement", header)?;
        let orelse = self.else_block()?;
        Ok(StmtKind::While { test, body, orelse })
    }

    /// `for_stmt: 'for' exprlist 'in' testlist ':' block ['else' ':' block]`
    fn for_stmt(&mut self) -> PResult<StmtKind> {
        let header = self.advance().span;
        let target = self.exprlist()?;
        check_target(&target, "assign to")?;
        if self.eat_kw("in").is_none() {
            return Err(self.unexpected());
        }
        let iter = self.testlist()?;
        let body = self.loop_block("'for' statement", header)?;
        let orelse = self.else_block()?;
        Ok(StmtKind::For {
            target,
            iter,
            body,
            orelse,
        })
    }

    /// `try_stmt`: `try` block, handlers, optional `else`, optional `finally`.
    fn try_stmt(&mut self) -> PResult<StmtKind> {
        let header = self.advance().span;
        let body = self.block("'try' statement", header)?;
        let mut handlers: Vec<ExceptHandler> = Vec::new();
        while self.at_kw("except") {
            if let Some(bare) = handlers.iter().find(|h| h.type_.is_none()) {
                return Err(CompileError::syntax(
                    "default 'except:' must be last",
                    bare.span,
                ));
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
    fn function_def(&mut self) -> PResult<StmtKind> {
        let header = self.advance().span;
        let name = self.ident()?;
        self.expect_op("(")?;
        let params = self.params()?;
        let returns = self.eat_op("->").map(|_| self.test()).transpose()?;
        let outer = (self.in_function, self.in_loop);
        self.in_function = true;
        self.in_loop = false;
        let body = self.block("function definition", header);
        (self.in_function, self.in_loop) = outer;
        Ok(StmtKind::FunctionDef(Box::new(FunctionDef {
            name,
            params,
            returns,
            body: body?,
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
                return Err(CompileError::syntax(
                    format!("duplicate argument '{}' in function definition", name.name),
                    name.span,
                ));
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
}
