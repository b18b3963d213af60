//! Statement rules. In: the token stream at the start of a statement. Out: `ast::Stmt`s.
//! The dispatch to compound statements (`compound`, `def`) and the simple statements
//! (`simple_stmts`, `expr_stmt`, `import`, `del`, `global`/`nonlocal`, ...).

use super::Parser;
use super::target::{
    check_ann_target, check_aug_target, check_target, debug_target, single_assignment_hint,
    starred_target,
};
use crate::ast::{Alias, BinaryOp, Expr, ExprKind, Ident, Span, Stmt, StmtKind};
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
            Tok::Kw("for") => self.for_stmt(false)?,
            Tok::Kw("try") => self.try_stmt()?,
            Tok::Kw("with") => self.with_stmt(false)?,
            Tok::Kw("def") | Tok::Kw("class") | Tok::Op("@") => self.decorated(Vec::new())?,
            Tok::Kw("async") => self.async_stmt()?,
            // `match` is a soft keyword: a line starting with it and ending in `:` is a match
            // statement (no simple statement ends in a colon).
            Tok::Name(name) if name == "match" && self.line_ends_with_colon() => {
                return Err(CompileError::syntax(
                    "'match' statement is not supported by MicroPython",
                    start,
                ));
            }
            // `type X = ...` (Python 3.12): `type` followed by a name, then `=` or `[`.
            Tok::Name(name)
                if name == "type"
                    && matches!(self.peek_at(1), Tok::Name(_))
                    && matches!(self.peek_at(2), Tok::Op("=" | "[")) =>
            {
                return Err(CompileError::syntax(
                    "'type' statement is not supported by MicroPython",
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

    fn line_ends_with_colon(&self) -> bool {
        let rest = self.tokens.get(self.pos..).unwrap_or(&[]);
        let end = rest
            .iter()
            .position(|t| matches!(t.tok, Tok::Newline | Tok::EndOfFile))
            .unwrap_or(rest.len());
        end > 0 && rest.get(end - 1).is_some_and(|t| t.tok == Tok::Op(":"))
    }

    /// `simple_stmts: small_stmt (';' small_stmt)* [';'] NEWLINE`
    pub(super) fn simple_stmts(&mut self, out: &mut Vec<Stmt>) -> PResult<()> {
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
                    self.defer(CompileError::syntax(message, start));
                }
                if *kw == "break" {
                    StmtKind::Break
                } else {
                    StmtKind::Continue
                }
            }
            "return" => {
                self.advance();
                let value = self
                    .at_expr_start()
                    .then(|| self.testlist_star_expr())
                    .transpose()?;
                if let Some(v) = &value {
                    self.check_bare_starred(v);
                }
                if !self.in_function {
                    self.defer(CompileError::syntax(
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
            "global" | "nonlocal" => {
                self.advance();
                let mut names = vec![self.ident()?];
                while self.eat_op(",").is_some() {
                    names.push(self.ident()?);
                }
                if *kw == "global" {
                    StmtKind::Global(names)
                } else {
                    StmtKind::Nonlocal(names)
                }
            }
            "del" => {
                self.advance();
                let mut targets = vec![self.del_target()?];
                while self.eat_op(",").is_some() && self.at_expr_start() {
                    targets.push(self.del_target()?);
                }
                for t in &targets {
                    self.target(t, "delete")?;
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
        let first = self.yield_or_testlist()?;
        if self.eat_op(":").is_some() {
            let annotation = self.test()?;
            check_ann_target(&first)?;
            self.target(&first, "assign to")?;
            let value = self
                .eat_op("=")
                .map(|_| self.yield_or_testlist())
                .transpose()?;
            if let Some(v) = &value {
                self.check_bare_starred(v);
            }
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
            self.target(&first, "assign to")?;
            self.advance();
            let value = self.yield_or_testlist()?;
            self.check_bare_starred(&value);
            return Ok(StmtKind::AugAssign {
                target: first,
                op,
                value,
            });
        }
        if !self.at_op("=") {
            self.check_bare_starred(&first);
            return Ok(StmtKind::Expr(first));
        }
        // Each target is checked as soon as its `=` is seen, before the value is parsed.
        let mut targets = Vec::new();
        let mut next = first;
        while self.eat_op("=").is_some() {
            if targets.is_empty() && !self.equals_ahead() {
                if matches!(next.kind, ExprKind::Yield(_) | ExprKind::YieldFrom(_))
                    && self.parenthesised(&next)
                {
                    return Err(CompileError::syntax(
                        "cannot assign to yield expression here. Maybe you meant '==' instead of '='?",
                        next.span,
                    ));
                }
                if let Some(hint) = single_assignment_hint(&next) {
                    return Err(hint);
                }
            }
            self.target(&next, "assign to")?;
            targets.push(next);
            next = self.yield_or_testlist()?;
        }
        self.check_bare_starred(&next);
        Ok(StmtKind::Assign {
            targets,
            value: next,
        })
    }

    /// Whether another `=` follows on this logical line, outside brackets.
    fn equals_ahead(&self) -> bool {
        let mut depth = 0usize;
        for t in self.tokens.get(self.pos..).unwrap_or(&[]) {
            match t.tok {
                Tok::Newline | Tok::EndOfFile => break,
                Tok::Op("(" | "[" | "{") => depth += 1,
                Tok::Op(")" | "]" | "}") => depth = depth.saturating_sub(1),
                Tok::Op("=") if depth == 0 => return true,
                _ => {}
            }
        }
        false
    }

    /// Checks a target now, and defers the errors CPython's compiler finds: binding
    /// `__debug__` (see `target::debug_target`) and misplaced starred targets.
    pub(super) fn target(&mut self, e: &Expr, verb: &str) -> PResult<()> {
        // CPython words a parenthesised `(yield)` target like any other expression.
        if matches!(e.kind, ExprKind::Yield(_) | ExprKind::YieldFrom(_)) && self.parenthesised(e) {
            return Err(CompileError::syntax(
                format!("cannot {verb} yield expression"),
                e.span,
            ));
        }
        check_target(e, verb)?;
        if let Some(error) = debug_target(e, verb).or_else(|| starred_target(e)) {
            self.defer(error);
        }
        Ok(())
    }

    /// Whether `e` sits directly inside parentheses in the source.
    fn parenthesised(&self, e: &Expr) -> bool {
        let before = self.src.get(..e.span.start as usize).unwrap_or("");
        before.trim_end().ends_with('(')
    }

    /// A `*value` standing alone where a value is computed (`x = *a`), found by CPython's
    /// compiler.
    pub(super) fn check_bare_starred(&mut self, e: &Expr) {
        if matches!(e.kind, ExprKind::Starred(_)) {
            self.defer(CompileError::syntax(
                "can't use starred expression here",
                e.span,
            ));
        }
    }

    /// One target of `del`: starred ones are refused as CPython's parser does.
    fn del_target(&mut self) -> PResult<Expr> {
        if self.at_op("*") {
            let start = self.span();
            self.advance();
            let value = self.expr()?;
            return Err(CompileError::syntax(
                "cannot delete starred",
                start.to(value.span),
            ));
        }
        self.expr()
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
        if let Some(star) = self.eat_op("*") {
            if self.in_scope {
                self.defer(CompileError::syntax(
                    "import * only allowed at module level",
                    star,
                ));
            }
            let name = Ident {
                name: "*".into(),
                span: star,
            };
            return Ok(StmtKind::ImportFrom {
                module,
                names: vec![Alias { name, asname: None }],
                level,
            });
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
}
