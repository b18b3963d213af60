//! Bracketed atoms. In: the token stream at `(`, `[` or `{`. Out: tuples, parenthesised
//! expressions and `(yield)`, list, set and dict displays with `*`/`**` unpacking, and the
//! four comprehensions (their `for` clauses and checks are in `comprehension`).

use super::Parser;
use crate::ast::{Comprehension, Expr, ExprKind, Span};
use crate::diag::CompileError;
use crate::lexer::Tok;

type PResult<T> = Result<T, CompileError>;

impl Parser<'_> {
    /// `(`: the empty tuple, a parenthesised expression or yield, a tuple display, or a
    /// generator expression.
    pub(super) fn paren(&mut self) -> PResult<Expr> {
        let start = self.advance().span;
        if self.eat_op(")").is_some() {
            return Ok(Expr::new(
                ExprKind::Tuple(Vec::new()),
                self.span_from(start),
            ));
        }
        if self.at_kw("yield") {
            let value = self.yield_expr()?;
            self.close(")", Some(&value))?;
            return Ok(value);
        }
        if self.at_op("**") {
            // CPython names the mistake when the parentheses hold just `**expr`.
            let star = self.advance().span;
            let alone = self.expr().is_ok() && self.at_op(")");
            let message = match alone {
                true => "cannot use double starred expression here",
                false => "invalid syntax",
            };
            return Err(CompileError::syntax(message, star));
        }
        let first = self.star_or_named()?;
        if self.at_comprehension() {
            let genexp = self.generator(first)?;
            self.close(")", Some(&genexp))?;
            return Ok(Expr::new(genexp.kind, self.span_from(start)));
        }
        if self.eat_op(")").is_some() {
            if matches!(first.kind, ExprKind::Starred(_)) {
                return Err(CompileError::syntax(
                    "cannot use starred expression here",
                    first.span,
                ));
            }
            return Ok(first);
        }
        if !self.at_op(",") {
            return Err(self.missing_comma(Some(&first)));
        }
        let mut items = vec![first];
        while self.eat_op(",").is_some() && !self.at_op(")") {
            items.push(self.star_or_named()?);
        }
        self.close(")", items.last())?;
        Ok(Expr::new(ExprKind::Tuple(items), self.span_from(start)))
    }

    /// `[a, *b, ...]` or a list comprehension.
    pub(super) fn list(&mut self) -> PResult<Expr> {
        let start = self.advance().span;
        let mut items = Vec::new();
        while self.eat_op("]").is_none() {
            items.push(self.star_or_named()?);
            if items.len() == 1
                && self.at_comprehension()
                && let Some(elt) = items.pop()
            {
                let (elt, generators) = self.comprehension(elt, "list comprehension")?;
                self.close("]", None)?;
                let kind = ExprKind::ListComp {
                    elt: Box::new(elt),
                    generators,
                };
                return Ok(Expr::new(kind, self.span_from(start)));
            }
            self.unparenthesised_target(&items, "]")?;
            if self.eat_op(",").is_none() {
                self.close("]", items.last())?;
                break;
            }
            self.unparenthesised_target(&items, "]")?;
        }
        Ok(Expr::new(ExprKind::List(items), self.span_from(start)))
    }

    /// `{`: a dict or set display (`{}` is a dict), or a dict or set comprehension.
    pub(super) fn brace(&mut self) -> PResult<Expr> {
        let start = self.advance().span;
        if self.eat_op("}").is_some() {
            return Ok(Expr::new(ExprKind::Dict(Vec::new()), self.span_from(start)));
        }
        if self.at_op("**") {
            return self.dict(start, None);
        }
        let first = self.star_or_named()?;
        if !matches!(first.kind, ExprKind::Starred(_)) && self.eat_op(":").is_some() {
            return self.dict(start, Some(first));
        }
        if self.at_comprehension() {
            let (elt, generators) = self.comprehension(first, "set comprehension")?;
            self.close("}", None)?;
            let kind = ExprKind::SetComp {
                elt: Box::new(elt),
                generators,
            };
            return Ok(Expr::new(kind, self.span_from(start)));
        }
        let mut items = vec![first];
        while self.eat_op(",").is_some() {
            self.unparenthesised_target(&items, "}")?;
            if self.at_op("}") {
                break;
            }
            items.push(self.star_or_named()?);
            self.unparenthesised_target(&items, "}")?;
        }
        self.close("}", items.last())?;
        Ok(Expr::new(ExprKind::Set(items), self.span_from(start)))
    }

    /// `[a, b for ...]`: CPython's hint for a tuple element written without parentheses, given
    /// when the `for` clauses themselves parse up to the closing bracket.
    fn unparenthesised_target(&mut self, items: &[Expr], closer: &str) -> PResult<()> {
        let after_comma =
            self.tokens.get(self.pos.wrapping_sub(1)).map(|t| &t.tok) == Some(&Tok::Op(","));
        let (Some(first), Some(last)) = (items.first(), items.last()) else {
            return Ok(());
        };
        if !(items.len() > 1 || after_comma) || !self.at_comprehension() {
            return Ok(());
        }
        let span = first.span.to(last.span);
        let at = self.span();
        self.comp_for()?;
        if !self.at_op(closer) {
            return Err(CompileError::syntax("invalid syntax", at));
        }
        Err(CompileError::syntax(
            "did you forget parentheses around the comprehension target?",
            span,
        ))
    }

    /// The rest of a dict display or comprehension; `key` is the first key when its `:` has
    /// been consumed, None when the display starts with `**`.
    fn dict(&mut self, start: Span, key: Option<Expr>) -> PResult<Expr> {
        let mut pairs: Vec<(Option<Expr>, Expr)> = Vec::new();
        let mut key = key;
        loop {
            match key.take() {
                Some(k) => {
                    if self.at_op("*") {
                        return Err(CompileError::syntax(
                            "cannot use a starred expression in a dictionary value",
                            self.span(),
                        ));
                    }
                    if self.at_op(",") || self.at_op("}") {
                        return Err(CompileError::syntax(
                            "expression expected after dictionary key and ':'",
                            self.span(),
                        ));
                    }
                    let value = self.test()?;
                    if pairs.is_empty() && self.at_comprehension() {
                        return self.dict_comp(start, k, value);
                    }
                    pairs.push((Some(k), value));
                }
                None => {
                    let at = self.expect_op("**")?;
                    let value = self.expr()?;
                    if self.at_comprehension() {
                        return Err(CompileError::syntax(
                            "dict unpacking cannot be used in dict comprehension",
                            at.to(value.span),
                        ));
                    }
                    pairs.push((None, value));
                }
            }
            if self.eat_op(",").is_none() || self.at_op("}") {
                break;
            }
            if !self.at_op("**") {
                let k = self.test()?;
                if self.eat_op(":").is_none() {
                    if self.at_op(",") || self.at_op("}") {
                        return Err(CompileError::syntax(
                            "':' expected after dictionary key",
                            k.span,
                        ));
                    }
                    return Err(self.missing_comma(Some(&k)));
                }
                key = Some(k);
            }
        }
        self.close("}", pairs.last().map(|(_, v)| v))?;
        Ok(Expr::new(ExprKind::Dict(pairs), self.span_from(start)))
    }

    fn dict_comp(&mut self, start: Span, key: Expr, value: Expr) -> PResult<Expr> {
        let generators = self.comp_for()?;
        self.check_comprehension(&[&key, &value], &generators, "dict comprehension");
        self.close("}", None)?;
        let kind = ExprKind::DictComp {
            key: Box::new(key),
            value: Box::new(value),
            generators,
        };
        Ok(Expr::new(kind, self.span_from(start)))
    }

    /// A generator expression whose element has been parsed (its span starts at the element).
    pub(super) fn generator(&mut self, elt: Expr) -> PResult<Expr> {
        let start = elt.span;
        let (elt, generators) = self.comprehension(elt, "generator expression")?;
        let kind = ExprKind::GeneratorExp {
            elt: Box::new(elt),
            generators,
        };
        Ok(Expr::new(kind, self.span_from(start)))
    }

    /// Whether a comprehension's `for` (or `async for`) follows.
    pub(super) fn at_comprehension(&self) -> bool {
        self.at_kw("for") || (self.at_kw("async") && self.peek_at(1) == &Tok::Kw("for"))
    }

    /// The `for` clauses after a comprehension's element; `what` names it for errors.
    fn comprehension(&mut self, elt: Expr, what: &str) -> PResult<(Expr, Vec<Comprehension>)> {
        if matches!(elt.kind, ExprKind::Starred(_)) {
            return Err(CompileError::syntax(
                "iterable unpacking cannot be used in comprehension",
                elt.span,
            ));
        }
        let generators = self.comp_for()?;
        self.check_comprehension(&[&elt], &generators, what);
        Ok((elt, generators))
    }
}
