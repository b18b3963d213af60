//! Primaries and atoms. In: the token stream at an atom. Out: `ast::Expr` for names, literals
//! (adjacent strings joined), parenthesised, list and dict displays, and the calls, subscripts
//! and attribute accesses that follow them. Comprehensions, slices, starred and set displays are
//! rejected by name.

use super::Parser;
use super::target::equals_hint;
use crate::ast::{Constant, Expr, ExprKind, Ident, Keyword};
use crate::diag::CompileError;
use crate::lexer::Tok;

type PResult<T> = Result<T, CompileError>;

impl Parser<'_> {
    /// `primary: atom trailer*` with calls, subscripts and attribute access.
    pub(super) fn primary(&mut self) -> PResult<Expr> {
        let start = self.span();
        let mut value = self.atom()?;
        let mut chain = 0;
        loop {
            chain += 1;
            self.deepen(1)?;
            let kind = if self.eat_op("(").is_some() {
                let (args, keywords) = self.call_args()?;
                ExprKind::Call {
                    func: Box::new(value),
                    args,
                    keywords,
                }
            } else if self.eat_op("[").is_some() {
                let index = self.subscript()?;
                ExprKind::Subscript {
                    value: Box::new(value),
                    index: Box::new(index),
                }
            } else if self.eat_op(".").is_some() {
                let attr: Ident = self.ident()?;
                ExprKind::Attribute {
                    value: Box::new(value),
                    attr,
                }
            } else {
                self.shallow(chain);
                return Ok(value);
            };
            value = Expr::new(kind, self.span_from(start));
        }
    }

    /// Call arguments after `(` up to `)`: positional, then `name=value` keywords.
    fn call_args(&mut self) -> PResult<(Vec<Expr>, Vec<Keyword>)> {
        let mut args = Vec::new();
        let mut keywords: Vec<Keyword> = Vec::new();
        while self.eat_op(")").is_none() {
            if let Tok::Op(op @ ("*" | "**")) = self.peek() {
                return Err(CompileError::syntax(
                    format!("'{op}' argument unpacking is not supported yet"),
                    self.span(),
                ));
            }
            let arg = self.test()?;
            self.reject_comprehension()?;
            if self.eat_op("=").is_some() {
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
                let ident = Ident {
                    name: name.clone(),
                    span: arg.span,
                };
                keywords.push(Keyword {
                    arg: Some(ident),
                    value,
                });
            } else if !keywords.is_empty() {
                return Err(CompileError::syntax(
                    "positional argument follows keyword argument",
                    arg.span,
                ));
            } else {
                args.push(arg);
            }
            if self.eat_op(",").is_none() {
                let last = keywords.last().map_or(args.last(), |k| Some(&k.value));
                self.close(")", last)?;
                break;
            }
        }
        Ok((args, keywords))
    }

    /// The index after `[` up to `]`: one expression, or a tuple of them (`a[i, j]`).
    fn subscript(&mut self) -> PResult<Expr> {
        let start = self.span();
        let mut items = Vec::new();
        let mut comma = false;
        while !self.at_op("]") {
            self.reject_slice()?;
            items.push(self.test()?);
            self.reject_slice()?;
            if self.eat_op(",").is_none() {
                break;
            }
            comma = true;
        }
        if items.is_empty() {
            return Err(self.unexpected());
        }
        let span = self.span_from(start);
        self.close("]", items.last())?;
        match items.pop() {
            Some(only) if items.is_empty() && !comma => Ok(only),
            Some(last) => {
                items.push(last);
                Ok(Expr::new(ExprKind::Tuple(items), span))
            }
            None => Err(self.unexpected()),
        }
    }

    fn reject_slice(&self) -> PResult<()> {
        if self.at_op(":") {
            return Err(CompileError::syntax(
                "slices are not supported yet",
                self.span(),
            ));
        }
        Ok(())
    }

    /// A `for` after an element means a comprehension or generator expression.
    fn reject_comprehension(&self) -> PResult<()> {
        if self.at_kw("for") || (self.at_kw("async") && self.peek_at(1) == &Tok::Kw("for")) {
            return Err(CompileError::syntax(
                "comprehensions and generator expressions are not supported yet",
                self.span(),
            ));
        }
        Ok(())
    }

    /// Names, literals (adjacent strings joined), and parenthesised, list and dict displays.
    fn atom(&mut self) -> PResult<Expr> {
        let span = self.span();
        let constant = match self.peek() {
            Tok::Name(name) => {
                self.advance();
                return Ok(Expr::new(ExprKind::Name(name.clone()), span));
            }
            Tok::Int(i) => Constant::Int(i.clone()),
            Tok::Float(f) => Constant::Float(*f),
            Tok::Str(_) | Tok::Bytes(_) => return self.strings(),
            Tok::Kw("None") => Constant::None,
            Tok::Kw("True") => Constant::True,
            Tok::Kw("False") => Constant::False,
            Tok::Op("...") => Constant::Ellipsis,
            Tok::Op("(") => return self.paren(),
            Tok::Op("[") => return self.list(),
            Tok::Op("{") => return self.dict(),
            Tok::Op("*") => {
                return Err(CompileError::syntax(
                    "starred expressions are not supported yet",
                    span,
                ));
            }
            _ => return Err(self.unexpected()),
        };
        self.advance();
        Ok(Expr::new(ExprKind::Constant(constant), span))
    }

    /// Adjacent string literals, joined: str with str, bytes with bytes.
    fn strings(&mut self) -> PResult<Expr> {
        let start = self.span();
        let mut text: Option<String> = None;
        let mut bytes: Option<Vec<u8>> = None;
        loop {
            let span = self.span();
            match self.peek() {
                Tok::Str(s) if bytes.is_none() => text.get_or_insert_default().push_str(s),
                Tok::Bytes(b) if text.is_none() => bytes.get_or_insert_default().extend(b),
                Tok::Str(_) | Tok::Bytes(_) => {
                    return Err(CompileError::syntax(
                        "cannot mix bytes and nonbytes literals",
                        span,
                    ));
                }
                _ => break,
            }
            self.advance();
        }
        let constant = match bytes {
            Some(b) => Constant::Bytes(b),
            None => Constant::Str(text.unwrap_or_default()),
        };
        Ok(Expr::new(
            ExprKind::Constant(constant),
            self.span_from(start),
        ))
    }

    /// `(`: the empty tuple, a parenthesised expression, or a tuple display.
    fn paren(&mut self) -> PResult<Expr> {
        let start = self.advance().span;
        if self.eat_op(")").is_some() {
            return Ok(Expr::new(
                ExprKind::Tuple(Vec::new()),
                self.span_from(start),
            ));
        }
        let first = self.test()?;
        self.reject_comprehension()?;
        if self.eat_op(")").is_some() {
            return Ok(first);
        }
        if !self.at_op(",") {
            return Err(self.missing_comma(Some(&first)));
        }
        let mut items = vec![first];
        while self.eat_op(",").is_some() && !self.at_op(")") {
            items.push(self.test()?);
        }
        self.close(")", items.last())?;
        Ok(Expr::new(ExprKind::Tuple(items), self.span_from(start)))
    }

    /// `[a, b, ...]`
    fn list(&mut self) -> PResult<Expr> {
        let start = self.advance().span;
        let mut items = Vec::new();
        while self.eat_op("]").is_none() {
            items.push(self.test()?);
            if items.len() == 1 {
                self.reject_comprehension()?;
            }
            if self.eat_op(",").is_none() {
                self.close("]", items.last())?;
                break;
            }
        }
        Ok(Expr::new(ExprKind::List(items), self.span_from(start)))
    }

    /// `{k: v, ...}`; a set display is rejected.
    fn dict(&mut self) -> PResult<Expr> {
        let start = self.advance().span;
        let mut pairs = Vec::new();
        while self.eat_op("}").is_none() {
            if self.at_op("**") {
                return Err(CompileError::syntax(
                    "'**' dict unpacking is not supported yet",
                    self.span(),
                ));
            }
            let key = self.test()?;
            if self.eat_op(":").is_none() {
                if pairs.is_empty() && matches!(self.peek(), Tok::Op("," | "}") | Tok::Kw("for")) {
                    return Err(CompileError::syntax(
                        "set displays are not supported yet",
                        start,
                    ));
                }
                return Err(self.missing_comma(Some(&key)));
            }
            let value = self.test()?;
            if pairs.is_empty() {
                self.reject_comprehension()?;
            }
            pairs.push((Some(key), value));
            if self.eat_op(",").is_none() {
                self.close("}", pairs.last().map(|(_, v)| v))?;
                break;
            }
        }
        Ok(Expr::new(ExprKind::Dict(pairs), self.span_from(start)))
    }

    /// After the last element inside brackets: the closing bracket, else CPython's hint for two
    /// expressions side by side (`[1 2]`), else `invalid syntax`.
    fn close(&mut self, closer: &str, last: Option<&Expr>) -> PResult<()> {
        match self.eat_op(closer) {
            Some(_) => Ok(()),
            None => Err(self.missing_comma(last)),
        }
    }

    /// The error when `last` is followed by something other than a comma or closer. CPython
    /// points at the last operand of a conditional expression and exempts a name before a
    /// string (a misspelt prefix, not a missing comma).
    fn missing_comma(&self, last: Option<&Expr>) -> CompileError {
        let Some(mut last) = last else {
            return self.unexpected();
        };
        if self.at_op("=")
            && let Some(hint) = equals_hint(last)
        {
            return hint;
        }
        while let ExprKind::IfExp { orelse, .. } = &last.kind {
            last = orelse;
        }
        let name_then_string = matches!(last.kind, ExprKind::Name(_))
            && matches!(self.peek(), Tok::Str(_) | Tok::Bytes(_));
        if self.at_expr_start() && !name_then_string {
            return CompileError::syntax("invalid syntax. Perhaps you forgot a comma?", last.span);
        }
        self.unexpected()
    }
}
