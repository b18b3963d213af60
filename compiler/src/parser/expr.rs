//! Expression rules. In: the token stream at the start of an expression. Out: `ast::Expr`.
//! Precedence from loosest to tightest: conditional expression, `or`, `and`, `not`,
//! comparisons, `|`, `^`, `&`, shifts, `+ -`, `* @ / // %`, unary `+ - ~`, `**`, then primaries
//! (calls, subscripts, attributes) and atoms. `**` binds tighter than a unary operator on its
//! left and takes a unary operand on its right: `-2**-1` is `-(2**(-1))`.

use super::Parser;
use crate::ast::{
    BinaryOp, BoolOp, CompareOp, Constant, Expr, ExprKind, Ident, Keyword, Span, UnaryOp,
};
use crate::diag::CompileError;
use crate::lexer::Tok;

type PResult<T> = Result<T, CompileError>;

/// Binary operator levels between comparison and unary operators, loosest first.
const BINARY_LEVELS: [&[(&str, BinaryOp)]; 6] = [
    &[("|", BinaryOp::Or)],
    &[("^", BinaryOp::Xor)],
    &[("&", BinaryOp::And)],
    &[("<<", BinaryOp::LShift), (">>", BinaryOp::RShift)],
    &[("+", BinaryOp::Add), ("-", BinaryOp::Sub)],
    &[
        ("*", BinaryOp::Mul),
        ("@", BinaryOp::MatMul),
        ("/", BinaryOp::TrueDiv),
        ("//", BinaryOp::FloorDiv),
        ("%", BinaryOp::Mod),
    ],
];

impl Parser<'_> {
    /// Whether the current token can begin an expression (ends optional expressions such as
    /// `return`'s value, and tells a trailing comma from a separator).
    pub(super) fn at_expr_start(&self) -> bool {
        match self.peek() {
            Tok::Name(_) | Tok::Int(_) | Tok::Float(_) | Tok::Str(_) | Tok::Bytes(_) => true,
            Tok::Kw(k) => matches!(
                *k,
                "None" | "True" | "False" | "not" | "lambda" | "await" | "yield"
            ),
            Tok::Op(o) => matches!(*o, "(" | "[" | "{" | "-" | "+" | "~" | "..." | "*"),
            _ => false,
        }
    }

    /// `testlist: test (',' test)* [',']`, a Tuple when there is a comma.
    pub(super) fn testlist(&mut self) -> PResult<Expr> {
        self.sequence(Parser::test)
    }

    /// The left side of an expression statement: like `testlist` (starred items are rejected
    /// in `atom`).
    pub(super) fn testlist_star_expr(&mut self) -> PResult<Expr> {
        self.sequence(Parser::test)
    }

    /// `exprlist: expr (',' expr)* [',']`: targets of `for`, which stop before `in`.
    pub(super) fn exprlist(&mut self) -> PResult<Expr> {
        self.sequence(Parser::expr)
    }

    fn sequence(&mut self, item: fn(&mut Self) -> PResult<Expr>) -> PResult<Expr> {
        let first = item(self)?;
        if !self.at_op(",") {
            return Ok(first);
        }
        let start = first.span;
        let mut items = vec![first];
        while self.eat_op(",").is_some() && self.at_expr_start() {
            items.push(item(self)?);
        }
        Ok(Expr::new(ExprKind::Tuple(items), self.span_from(start)))
    }

    /// `test: or_test ['if' or_test 'else' test]`
    pub(super) fn test(&mut self) -> PResult<Expr> {
        self.enter()?;
        let body = self.or_test()?;
        let expr = if self.eat_kw("if").is_some() {
            let test = self.or_test()?;
            if self.eat_kw("else").is_none() {
                return Err(CompileError::syntax(
                    "expected 'else' after 'if' expression",
                    self.span_from(body.span),
                ));
            }
            let orelse = self.test()?;
            let span = body.span.to(orelse.span);
            Expr::new(
                ExprKind::IfExp {
                    test: Box::new(test),
                    body: Box::new(body),
                    orelse: Box::new(orelse),
                },
                span,
            )
        } else {
            body
        };
        if self.at_op(":=") {
            return Err(self.unexpected());
        }
        self.leave();
        Ok(expr)
    }

    fn or_test(&mut self) -> PResult<Expr> {
        self.bool_op("or", BoolOp::Or, Parser::and_test)
    }

    fn and_test(&mut self) -> PResult<Expr> {
        self.bool_op("and", BoolOp::And, Parser::not_test)
    }

    fn bool_op(
        &mut self,
        kw: &str,
        op: BoolOp,
        operand: fn(&mut Self) -> PResult<Expr>,
    ) -> PResult<Expr> {
        let first = operand(self)?;
        if !self.at_kw(kw) {
            return Ok(first);
        }
        let mut values = vec![first];
        while self.eat_kw(kw).is_some() {
            values.push(operand(self)?);
        }
        let span = span_of(&values);
        Ok(Expr::new(ExprKind::BoolOp { op, values }, span))
    }

    /// `not_test: 'not' not_test | comparison`
    fn not_test(&mut self) -> PResult<Expr> {
        let Some(start) = self.eat_kw("not") else {
            return self.comparison();
        };
        self.enter()?;
        let operand = self.not_test()?;
        self.leave();
        let span = start.to(operand.span);
        Ok(unary(UnaryOp::Not, operand, span))
    }

    /// `comparison: expr (comp_op expr)*`, one chain node for `a < b <= c`.
    fn comparison(&mut self) -> PResult<Expr> {
        let left = self.expr()?;
        let mut ops = Vec::new();
        let mut comparators = Vec::new();
        while let Some(op) = self.comp_op() {
            ops.push(op);
            comparators.push(self.expr()?);
        }
        if ops.is_empty() {
            return Ok(left);
        }
        let span = left.span.to(span_of(&comparators));
        Ok(Expr::new(
            ExprKind::Compare {
                left: Box::new(left),
                ops,
                comparators,
            },
            span,
        ))
    }

    fn comp_op(&mut self) -> Option<CompareOp> {
        let op = match self.peek() {
            Tok::Op("<") => CompareOp::Lt,
            Tok::Op("<=") => CompareOp::Le,
            Tok::Op("==") => CompareOp::Eq,
            Tok::Op("!=") => CompareOp::Ne,
            Tok::Op(">") => CompareOp::Gt,
            Tok::Op(">=") => CompareOp::Ge,
            Tok::Kw("in") => CompareOp::In,
            Tok::Kw("not") if self.peek_at(1) == &Tok::Kw("in") => {
                self.advance();
                CompareOp::NotIn
            }
            Tok::Kw("is") if self.peek_at(1) == &Tok::Kw("not") => {
                self.advance();
                CompareOp::IsNot
            }
            Tok::Kw("is") => CompareOp::Is,
            _ => return None,
        };
        self.advance();
        Some(op)
    }

    /// `expr`: the `|` level, the loosest binary operator (targets of `for` and `del`).
    pub(super) fn expr(&mut self) -> PResult<Expr> {
        self.binary(0)
    }

    /// One left-associative binary level of `BINARY_LEVELS`; past the last comes `factor`.
    fn binary(&mut self, level: usize) -> PResult<Expr> {
        let Some(ops) = BINARY_LEVELS.get(level) else {
            return self.factor();
        };
        let mut left = self.binary(level + 1)?;
        let mut chain = 0;
        while let Some(&(_, op)) = ops.iter().find(|(s, _)| self.at_op(s)) {
            self.advance();
            chain += 1;
            self.deepen(1)?;
            let right = self.binary(level + 1)?;
            let span = left.span.to(right.span);
            left = Expr::new(
                ExprKind::BinOp {
                    left: Box::new(left),
                    op,
                    right: Box::new(right),
                },
                span,
            );
        }
        self.shallow(chain);
        Ok(left)
    }

    /// `factor: ('+'|'-'|'~') factor | power`
    fn factor(&mut self) -> PResult<Expr> {
        let op = match self.peek() {
            Tok::Op("+") => UnaryOp::Pos,
            Tok::Op("-") => UnaryOp::Neg,
            Tok::Op("~") => UnaryOp::Invert,
            _ => return self.power(),
        };
        let start = self.advance().span;
        self.enter()?;
        let operand = self.factor()?;
        self.leave();
        let span = start.to(operand.span);
        Ok(unary(op, operand, span))
    }

    /// `power: primary ['**' factor]`
    fn power(&mut self) -> PResult<Expr> {
        let base = self.primary()?;
        if self.eat_op("**").is_none() {
            return Ok(base);
        }
        self.enter()?;
        let exponent = self.factor()?;
        self.leave();
        let span = base.span.to(exponent.span);
        Ok(Expr::new(
            ExprKind::BinOp {
                left: Box::new(base),
                op: BinaryOp::Pow,
                right: Box::new(exponent),
            },
            span,
        ))
    }

    /// `primary: atom trailer*` with calls, subscripts and attribute access.
    fn primary(&mut self) -> PResult<Expr> {
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
            let span = Span::new(self.start_of(&kind), self.last_end());
            value = Expr::new(kind, span);
        }
    }

    fn start_of(&self, kind: &ExprKind) -> u32 {
        match kind {
            ExprKind::Call { func: v, .. }
            | ExprKind::Subscript { value: v, .. }
            | ExprKind::Attribute { value: v, .. } => v.span.start,
            _ => self.span().start,
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
                if keywords.iter().any(|k| k.arg.name == *name) {
                    return Err(CompileError::syntax(
                        format!("keyword argument repeated: {name}"),
                        kw_span,
                    ));
                }
                let ident = Ident {
                    name: name.clone(),
                    span: arg.span,
                };
                keywords.push(Keyword { arg: ident, value });
            } else if !keywords.is_empty() {
                return Err(CompileError::syntax(
                    "positional argument follows keyword argument",
                    arg.span,
                ));
            } else {
                args.push(arg);
            }
            if self.eat_op(",").is_none() {
                self.expect_op(")")?;
                break;
            }
        }
        Ok((args, keywords))
    }

    /// The index after `[` up to `]`: one expression, or a tuple of them (`a[i, j]`).
    fn subscript(&mut self) -> PResult<Expr> {
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
        self.expect_op("]")?;
        match items.pop() {
            Some(only) if items.is_empty() && !comma => Ok(only),
            Some(last) => {
                items.push(last);
                let span = span_of(&items);
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
            return Err(self.unexpected());
        }
        let mut items = vec![first];
        while self.eat_op(",").is_some() && !self.at_op(")") {
            items.push(self.test()?);
        }
        self.expect_op(")")?;
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
                self.expect_op("]")?;
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
                return Err(CompileError::syntax("expected ':'", self.span()));
            }
            let value = self.test()?;
            if pairs.is_empty() {
                self.reject_comprehension()?;
            }
            pairs.push((key, value));
            if self.eat_op(",").is_none() {
                self.expect_op("}")?;
                break;
            }
        }
        Ok(Expr::new(ExprKind::Dict(pairs), self.span_from(start)))
    }
}

fn unary(op: UnaryOp, operand: Expr, span: Span) -> Expr {
    Expr::new(
        ExprKind::UnaryOp {
            op,
            operand: Box::new(operand),
        },
        span,
    )
}

fn span_of(items: &[Expr]) -> Span {
    match (items.first(), items.last()) {
        (Some(a), Some(b)) => a.span.to(b.span),
        _ => Span::default(),
    }
}
