//! Definitions. In: the token stream at `@`, `def`, `class` or `async def`. Out: a
//! `FunctionDef` or `ClassDef` with its decorators (any expression, one per line), parameters
//! (in `params`), bases and keywords, and its body parsed in the new scope's context. Type
//! parameters (`def f[T]()`, Python 3.12) are outside MicroPython's dialect.

use super::Parser;
use crate::ast::{ClassDef, Expr, ExprKind, FunctionDef, StmtKind};
use crate::diag::CompileError;
use crate::lexer::Tok;

type PResult<T> = Result<T, CompileError>;

impl Parser<'_> {
    /// `decorated: ('@' named_expression NEWLINE)* (funcdef | classdef | async funcdef)`
    pub(super) fn decorated(&mut self, mut decorators: Vec<Expr>) -> PResult<StmtKind> {
        while self.eat_op("@").is_some() {
            decorators.push(self.named_expression()?);
            self.expect_newline()?;
        }
        match self.peek() {
            Tok::Kw("def") => self.function_def(decorators, false),
            Tok::Kw("class") => self.class_def(decorators),
            Tok::Kw("async") if self.peek_at(1) == &Tok::Kw("def") => {
                self.advance();
                self.function_def(decorators, true)
            }
            _ => Err(self.unexpected()),
        }
    }

    /// `funcdef: 'def' NAME '(' [params] ')' ['->' test] ':' block`, at the `def`.
    pub(super) fn function_def(
        &mut self,
        decorators: Vec<Expr>,
        is_async: bool,
    ) -> PResult<StmtKind> {
        let header = self.advance().span;
        let name = self.ident()?;
        self.no_type_params()?;
        if self.eat_op("(").is_none() {
            return Err(CompileError::syntax("expected '('", self.span()));
        }
        let params = self.def_params()?;
        let returns = self.eat_op("->").map(|_| self.test()).transpose()?;
        let body = self.in_context(true, is_async, |p| p.block("function definition", header))?;
        Ok(StmtKind::FunctionDef(Box::new(FunctionDef {
            name,
            params,
            returns,
            body,
            decorators,
            is_async,
        })))
    }

    /// `classdef: 'class' NAME ['(' [arglist] ')'] ':' block`, at the `class`.
    fn class_def(&mut self, decorators: Vec<Expr>) -> PResult<StmtKind> {
        let header = self.advance().span;
        let name = self.ident()?;
        self.no_type_params()?;
        let (bases, keywords) = match self.eat_op("(") {
            Some(open) => {
                let (bases, keywords) = self.call_args()?;
                // Unlike a call, a class takes no bare generator expression: `class A(x for x in y)`.
                if let [base] = bases.as_slice()
                    && matches!(base.kind, ExprKind::GeneratorExp { .. })
                    && self.src.as_bytes().get(base.span.start as usize) != Some(&b'(')
                {
                    return Err(CompileError::syntax("invalid syntax", open));
                }
                (bases, keywords)
            }
            None => (Vec::new(), Vec::new()),
        };
        let body = self.in_context(false, false, |p| p.block("class definition", header))?;
        Ok(StmtKind::ClassDef(Box::new(ClassDef {
            name,
            bases,
            keywords,
            body,
            decorators,
        })))
    }

    fn no_type_params(&self) -> PResult<()> {
        if self.at_op("[") {
            return Err(CompileError::syntax(
                "type parameters are not supported by MicroPython",
                self.span(),
            ));
        }
        Ok(())
    }
}
