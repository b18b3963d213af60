//! Trailers. In: the tokens after `(` or `[` that follow a primary. Out: call arguments
//! (positional, `*iterable`, `name=value`, `**mapping`, a lone generator expression) in
//! CPython's order rules, or a subscript index (an expression, a slice, or a tuple of them).

use super::Parser;
use crate::ast::{Expr, ExprKind, Ident, Keyword, Span};
use crate::diag::CompileError;
use crate::lexer::Tok;

type PResult<T> = Result<T, CompileError>;

impl Parser<'_> {
    /// Call arguments after `(` up to `)`.
    pub(super) fn call_args(&mut self) -> PResult<(Vec<Expr>, Vec<Keyword>)> {
        let mut args: Vec<Expr> = Vec::new();
        let mut keywords: Vec<Keyword> = Vec::new();
        let mut double_star = false;
        while self.eat_op(")").is_none() {
            if self.eat_op("**").is_some() {
                let value = self.test()?;
                double_star = true;
                keywords.push(Keyword { arg: None, value });
            } else if let Some(start) = self.eat_op("*") {
                // In a call, `*` takes a whole expression: `f(*a or b)`.
                let value = self.test()?;
                let starred = Expr::new(ExprKind::Starred(Box::new(value)), self.span_from(start));
                if self.at_comprehension() {
                    return Err(CompileError::syntax(
                        "iterable unpacking cannot be used in comprehension",
                        starred.span,
                    ));
                }
                if double_star {
                    return Err(CompileError::syntax(
                        "iterable argument unpacking follows keyword argument unpacking",
                        starred.span,
                    ));
                }
                args.push(starred);
            } else {
                let arg = self.named_expression()?;
                if self.at_comprehension() {
                    let genexp = self.generator(arg)?;
                    let alone = args.is_empty() && keywords.is_empty();
                    if self.at_op(",") || (!alone && self.at_op(")")) {
                        return Err(CompileError::syntax(
                            "Generator expression must be parenthesized",
                            genexp.span,
                        ));
                    }
                    args.push(genexp);
                } else if self.eat_op("=").is_some() {
                    let keyword = self.keyword(arg, &keywords)?;
                    keywords.push(keyword);
                } else if double_star {
                    return Err(CompileError::syntax(
                        "positional argument follows keyword argument unpacking",
                        arg.span,
                    ));
                } else if !keywords.is_empty() {
                    return Err(CompileError::syntax(
                        "positional argument follows keyword argument",
                        arg.span,
                    ));
                } else {
                    args.push(arg);
                }
            }
            if self.eat_op(",").is_none() {
                let last = keywords.last().map_or(args.last(), |k| Some(&k.value));
                self.close(")", last)?;
                break;
            }
        }
        Ok((args, keywords))
    }

    /// `NAME '=' test` once the `=` is consumed; `arg` is what stood left of it.
    fn keyword(&mut self, arg: Expr, keywords: &[Keyword]) -> PResult<Keyword> {
        let ExprKind::Name(name) = &arg.kind else {
            return Err(CompileError::syntax(
                "expression cannot contain assignment, perhaps you meant \"==\"?",
                arg.span,
            ));
        };
        let value = self.test()?;
        let kw_span = arg.span.to(value.span);
        if keywords
            .iter()
            .any(|k| k.arg.as_ref().is_some_and(|a| a.name == *name))
        {
            let message = format!("keyword argument repeated: {name}");
            self.defer(CompileError::syntax(message, kw_span));
        }
        Ok(Keyword {
            arg: Some(Ident {
                name: name.clone(),
                span: arg.span,
            }),
            value,
        })
    }

    /// The index after `[` up to `]`: one expression or slice, or a tuple of them (`a[i, j]`,
    /// `a[1:2, ::3]`, `a[*b]`).
    pub(super) fn subscript(&mut self) -> PResult<Expr> {
        let start = self.span();
        let mut items = Vec::new();
        let mut tuple = false;
        while !self.at_op("]") {
            let item = self.slice_item()?;
            tuple |= matches!(item.kind, ExprKind::Starred(_));
            items.push(item);
            if self.eat_op(",").is_none() {
                break;
            }
            tuple = true;
        }
        if items.is_empty() {
            return Err(self.unexpected());
        }
        let span = self.span_from(start);
        self.close("]", items.last())?;
        match items.pop() {
            Some(only) if items.is_empty() && !tuple => Ok(only),
            Some(last) => {
                items.push(last);
                Ok(Expr::new(ExprKind::Tuple(items), span))
            }
            None => Err(self.unexpected()),
        }
    }

    /// `slice: [test] ':' [test] [':' [test]] | named_expression | '*' expr`
    fn slice_item(&mut self) -> PResult<Expr> {
        if let Some(start) = self.eat_op("*") {
            let value = self.test()?;
            let span = self.span_from(start);
            return Ok(Expr::new(ExprKind::Starred(Box::new(value)), span));
        }
        let start = self.span();
        let walrus = self.peek_at(1) == &Tok::Op(":=");
        let lower = if self.at_op(":") {
            None
        } else {
            let e = self.named_expression()?;
            if !self.at_op(":") {
                return Ok(e);
            }
            // A slice bound is a plain expression: `a[(x := 1):]` needs its parentheses.
            if walrus {
                return Err(self.unexpected());
            }
            Some(Box::new(e))
        };
        self.advance();
        let upper = self.slice_part()?;
        let step = match self.eat_op(":") {
            Some(_) => self.slice_part()?,
            None => None,
        };
        Ok(Expr::new(
            ExprKind::Slice { lower, upper, step },
            Span::new(start.start, self.last_end().max(start.start)),
        ))
    }

    /// An optional bound of a slice: absent before `:`, `,` or `]`.
    fn slice_part(&mut self) -> PResult<Option<Box<Expr>>> {
        if self.at_op(":") || self.at_op(",") || self.at_op("]") {
            return Ok(None);
        }
        Ok(Some(Box::new(self.test()?)))
    }
}
