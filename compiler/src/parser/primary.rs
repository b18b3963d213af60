//! Primaries and atoms. In: the token stream at an atom. Out: `ast::Expr` for names, literals
//! (adjacent strings and f-strings joined), bracketed atoms (in `display`), and the calls,
//! subscripts and attribute accesses that follow them (arguments and indices in `trailer`).

use super::Parser;
use super::fstring::Pieces;
use super::target::equals_hint;
use crate::ast::{Constant, Expr, ExprKind, Ident};
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

    /// The current NAME token as a `Name` expression.
    pub(super) fn atom_name(&mut self) -> PResult<Expr> {
        match self.peek() {
            Tok::Name(_) => self.atom(),
            _ => Err(self.unexpected()),
        }
    }

    /// Names, literals (adjacent strings joined), and bracketed atoms.
    fn atom(&mut self) -> PResult<Expr> {
        let span = self.span();
        let constant = match self.peek() {
            Tok::Name(name) => {
                self.advance();
                return Ok(Expr::new(ExprKind::Name(name.clone()), span));
            }
            Tok::Int(i) => Constant::Int(i.clone()),
            Tok::Float(f) => Constant::Float(*f),
            Tok::Imag(f) => Constant::Complex(0.0, *f),
            Tok::Str(_) | Tok::Bytes(_) | Tok::FStr(_) => return self.strings(),
            Tok::Kw("None") => Constant::None,
            Tok::Kw("True") => Constant::True,
            Tok::Kw("False") => Constant::False,
            Tok::Op("...") => Constant::Ellipsis,
            Tok::Op("(") => return self.paren(),
            Tok::Op("[") => return self.list(),
            Tok::Op("{") => return self.brace(),
            _ => return Err(self.unexpected()),
        };
        self.advance();
        Ok(Expr::new(ExprKind::Constant(constant), span))
    }

    /// Adjacent string literals, joined: str with str and f-strings (a `JoinedStr` if any
    /// f-string takes part), bytes with bytes.
    fn strings(&mut self) -> PResult<Expr> {
        let start = self.span();
        let mut pieces = Pieces::default();
        let mut bytes: Option<Vec<u8>> = None;
        let mut text = false;
        let mut fstring = false;
        loop {
            let token = self.token();
            match &token.tok {
                Tok::Str(s) if bytes.is_none() => {
                    pieces.text.push_str(s);
                    text = true;
                }
                Tok::FStr(f) if bytes.is_none() => {
                    self.fstring(f, token.span, &mut pieces)?;
                    fstring = true;
                }
                Tok::Bytes(b) if !text && !fstring => bytes.get_or_insert_default().extend(b),
                Tok::Str(_) | Tok::Bytes(_) | Tok::FStr(_) => {
                    return Err(CompileError::syntax(
                        "cannot mix bytes and nonbytes literals",
                        token.span,
                    ));
                }
                _ => break,
            }
            self.advance();
        }
        let span = self.span_from(start);
        if pieces.replaced_surrogate {
            self.warnings.push(crate::lexer::surrogate_warning(span));
        }
        let kind = match bytes {
            Some(b) => ExprKind::Constant(Constant::Bytes(b)),
            None if fstring => {
                pieces.flush(span);
                ExprKind::JoinedStr(pieces.parts)
            }
            None => ExprKind::Constant(Constant::Str(pieces.text)),
        };
        Ok(Expr::new(kind, span))
    }

    /// After the last element inside brackets: the closing bracket, else CPython's hint for two
    /// expressions side by side (`[1 2]`), else `invalid syntax`.
    pub(super) fn close(&mut self, closer: &str, last: Option<&Expr>) -> PResult<()> {
        match self.eat_op(closer) {
            Some(_) => Ok(()),
            None => Err(self.missing_comma(last)),
        }
    }

    /// The error when `last` is followed by something other than a comma or closer. CPython
    /// points at the last operand of a conditional expression and exempts a name before a
    /// string (a misspelt prefix, not a missing comma).
    pub(super) fn missing_comma(&self, last: Option<&Expr>) -> CompileError {
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
            && matches!(self.peek(), Tok::Str(_) | Tok::Bytes(_) | Tok::FStr(_));
        if self.at_expr_start() && !name_then_string {
            return CompileError::syntax("invalid syntax. Perhaps you forgot a comma?", last.span);
        }
        self.unexpected()
    }
}
