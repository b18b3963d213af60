//! Parameter lists. In: the tokens after `def name(` or after `lambda`. Out: `ast::Parameters`
//! (positional, `*args` or a bare `*`, keyword-only, `**kwargs`, defaults and annotations), or
//! CPython's error for a malformed list. Positional-only parameters (`/`) are outside
//! MicroPython's dialect and rejected by name.

use super::Parser;
use crate::ast::{Expr, ExprKind, Param, Parameters, Span};
use crate::diag::CompileError;
use crate::lexer::Tok;

type PResult<T> = Result<T, CompileError>;

impl Parser<'_> {
    /// The parameters of a `def`, up to and including the `)`.
    pub(super) fn def_params(&mut self) -> PResult<Parameters> {
        self.parameters(")", true)
    }

    /// `lambdef: 'lambda' [params] ':' test`
    pub(super) fn lambda(&mut self) -> PResult<Expr> {
        let start = self.advance().span;
        self.enter()?;
        let params = self.parameters(":", false)?;
        let body = self.in_context(true, false, Parser::test)?;
        self.leave();
        Ok(Expr::new(
            ExprKind::Lambda {
                params: Box::new(params),
                body: Box::new(body),
            },
            self.span_from(start),
        ))
    }

    /// Parameters up to and including `closer`; `annotations` is false for `lambda`.
    fn parameters(&mut self, closer: &str, annotations: bool) -> PResult<Parameters> {
        let mut params = Parameters::default();
        let mut star: Option<Span> = None;
        let mut bare_star: Option<Span> = None;
        while self.eat_op(closer).is_none() {
            if params.kwarg.is_some() {
                return Err(CompileError::syntax(
                    "arguments cannot follow var-keyword argument",
                    self.span(),
                ));
            }
            if self.at_op("/") {
                return Err(CompileError::syntax(
                    "positional-only parameters ('/') are not supported by MicroPython",
                    self.span(),
                ));
            }
            if self.eat_op("**").is_some() {
                if let Some(at) = bare_star.filter(|_| params.kwonly.is_empty()) {
                    return Err(bare_star_error(at));
                }
                let p = self.param(annotations)?;
                self.no_default("var-keyword")?;
                self.check_duplicate(&params, &p);
                params.kwarg = Some(p);
            } else if let Some(at) = self.eat_op("*") {
                if star.is_some() {
                    return Err(CompileError::syntax("* argument may appear only once", at));
                }
                star = Some(at);
                if self.at_op(",") || self.at_op(closer) {
                    bare_star = Some(at);
                } else {
                    let p = self.star_param(annotations)?;
                    self.no_default("var-positional")?;
                    self.check_duplicate(&params, &p);
                    params.vararg = Some(p);
                }
            } else {
                if self.at_parenthesised_names() {
                    let what = match annotations {
                        true => "Function",
                        false => "Lambda expression",
                    };
                    return Err(CompileError::syntax(
                        format!("{what} parameters cannot be parenthesized"),
                        self.span(),
                    ));
                }
                let mut p = self.param(annotations)?;
                if self.eat_op("=").is_some() {
                    if self.at_op(",") || (closer == ")" && self.at_op(")")) {
                        return Err(CompileError::syntax(
                            "expected default value expression",
                            self.span(),
                        ));
                    }
                    p.default = Some(self.test()?);
                }
                self.check_duplicate(&params, &p);
                if star.is_some() {
                    params.kwonly.push(p);
                } else {
                    if p.default.is_none() && params.args.iter().any(|a| a.default.is_some()) {
                        return Err(CompileError::syntax(
                            "non-default argument follows default argument",
                            p.name.span,
                        ));
                    }
                    params.args.push(p);
                }
            }
            if self.eat_op(",").is_none() && !self.at_op(closer) {
                return Err(self.unexpected());
            }
        }
        if let Some(at) = bare_star.filter(|_| params.kwonly.is_empty()) {
            return Err(bare_star_error(at));
        }
        Ok(params)
    }

    /// `( NAME (, NAME)* )`: parameters written in parentheses, as Python 2 allowed.
    fn at_parenthesised_names(&self) -> bool {
        if !self.at_op("(") {
            return false;
        }
        let mut ahead = 1;
        loop {
            if !matches!(self.peek_at(ahead), Tok::Name(_)) {
                return false;
            }
            match self.peek_at(ahead + 1) {
                Tok::Op(")") => return true,
                Tok::Op(",") => ahead += 2,
                _ => return false,
            }
        }
    }

    /// `NAME [':' test]`
    fn param(&mut self, annotations: bool) -> PResult<Param> {
        let name = self.ident()?;
        let annotation = match annotations {
            true => self.eat_op(":").map(|_| self.test()).transpose()?,
            false => None,
        };
        Ok(Param {
            name,
            annotation,
            default: None,
        })
    }

    /// `NAME [':' (test | star_expr)]`: `*args` may be annotated `*Ts` (PEP 646).
    fn star_param(&mut self, annotations: bool) -> PResult<Param> {
        let name = self.ident()?;
        let annotation = match annotations && self.eat_op(":").is_some() {
            true => Some(self.star_or_test()?),
            false => None,
        };
        Ok(Param {
            name,
            annotation,
            default: None,
        })
    }

    /// `*args` and `**kwargs` take no default.
    fn no_default(&self, what: &str) -> PResult<()> {
        if self.at_op("=") {
            return Err(CompileError::syntax(
                format!("{what} argument cannot have default value"),
                self.span(),
            ));
        }
        Ok(())
    }

    /// A name bound twice is an error of CPython's compiler: reported once the file parses.
    fn check_duplicate(&mut self, params: &Parameters, p: &Param) {
        if params.iter().any(|q| q.name.name == p.name.name) {
            let message = format!(
                "duplicate argument '{}' in function definition",
                p.name.name
            );
            self.defer(CompileError::syntax(message, p.name.span));
        }
    }
}

fn bare_star_error(at: Span) -> CompileError {
    CompileError::syntax("named arguments must follow bare *", at)
}
