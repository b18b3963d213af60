//! Expression rules. In: the token stream at the start of an expression. Out: `ast::Expr`.
//! Precedence from loosest to tightest: `lambda`, conditional expression, `or`, `and`, `not`,
//! comparisons, `|`, `^`, `&`, shifts, `+ -`, `* @ / // %`, unary `+ - ~`, `**`, `await`, then
//! primaries (calls, subscripts, attributes, in `primary`) and atoms. Also the forms that sit
//! outside that ladder: `*starred` items, `name := value` and `yield`. `**` binds tighter than a unary operator on its
//! left and takes a unary operand on its right: `-2**-1` is `-(2**(-1))`. As in CPython, a node
//! spans from its first token to its last, parentheses around an operand included.

use super::Parser;
use crate::ast::{BinaryOp, BoolOp, CompareOp, Expr, ExprKind, Span, UnaryOp};
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
            Tok::Name(_)
            | Tok::Int(_)
            | Tok::Float(_)
            | Tok::Imag(_)
            | Tok::Str(_)
            | Tok::FStr(_)
            | Tok::Bytes(_) => true,
            Tok::Kw(k) => matches!(
                *k,
                "None" | "True" | "False" | "not" | "lambda" | "await" | "yield"
            ),
            Tok::Op(o) => matches!(*o, "(" | "[" | "{" | "-" | "+" | "~" | "..." | "*"),
            _ => false,
        }
    }

    /// `star_expressions: (test|star_expr) (',' (test|star_expr))* [',']`, a Tuple when there is
    /// a comma; with `*starred` items (sides of an assignment,
    /// `return` and `yield` values, the iterable of `for`).
    pub(super) fn testlist_star_expr(&mut self) -> PResult<Expr> {
        self.sequence(Parser::star_or_test)
    }

    /// `exprlist: (expr|star_expr) (',' (expr|star_expr))* [',']`: targets of `for` and of
    /// comprehensions, which stop before `in`.
    pub(super) fn exprlist(&mut self) -> PResult<Expr> {
        self.sequence(Parser::star_or_expr)
    }

    /// `'*' expr | test`
    pub(super) fn star_or_test(&mut self) -> PResult<Expr> {
        match self.star_expr()? {
            Some(e) => Ok(e),
            None => self.test(),
        }
    }

    /// `'*' expr | named_expression` (items of displays and call arguments).
    pub(super) fn star_or_named(&mut self) -> PResult<Expr> {
        match self.star_expr()? {
            Some(e) => Ok(e),
            None => self.named_expression(),
        }
    }

    fn star_or_expr(&mut self) -> PResult<Expr> {
        match self.star_expr()? {
            Some(e) => Ok(e),
            None => self.expr(),
        }
    }

    /// `'*' expr` if the current token is `*`.
    pub(super) fn star_expr(&mut self) -> PResult<Option<Expr>> {
        let Some(start) = self.eat_op("*") else {
            return Ok(None);
        };
        self.enter()?;
        let value = self.expr()?;
        self.leave();
        let span = self.span_from(start);
        Ok(Some(Expr::new(ExprKind::Starred(Box::new(value)), span)))
    }

    /// `named_expression: NAME ':=' test | test`
    pub(super) fn named_expression(&mut self) -> PResult<Expr> {
        if !matches!(self.peek(), Tok::Name(_)) || self.peek_at(1) != &Tok::Op(":=") {
            let e = self.test()?;
            if self.at_op(":=") {
                return Err(CompileError::syntax(
                    format!(
                        "cannot use assignment expressions with {}",
                        super::target::describe(&e)
                    ),
                    e.span,
                ));
            }
            return Ok(e);
        }
        let start = self.span();
        let target = self.atom_name()?;
        self.advance();
        self.enter()?;
        let value = self.test()?;
        self.leave();
        if let ExprKind::Name(name) = &target.kind
            && name == "__debug__"
        {
            self.defer(CompileError::syntax(
                "cannot assign to __debug__",
                target.span,
            ));
        }
        Ok(Expr::new(
            ExprKind::NamedExpr {
                target: Box::new(target),
                value: Box::new(value),
            },
            self.span_from(start),
        ))
    }

    /// `yield_expr: 'yield' 'from' test | 'yield' [star_expressions]`, at the `yield`.
    pub(super) fn yield_expr(&mut self) -> PResult<Expr> {
        let start = self.advance().span;
        let what = match self.at_kw("from") {
            true => "'yield from'",
            false => "'yield'",
        };
        if !self.in_function {
            self.defer(CompileError::syntax(
                format!("{what} outside function"),
                start,
            ));
        } else if self.in_async {
            let message = format!("{what} inside async function");
            self.defer(CompileError::syntax(message, start));
        }
        self.enter()?;
        let kind = if self.eat_kw("from").is_some() {
            ExprKind::YieldFrom(Box::new(self.test()?))
        } else if self.at_expr_start() {
            let value = self.testlist_star_expr()?;
            self.check_bare_starred(&value);
            ExprKind::Yield(Some(Box::new(value)))
        } else {
            ExprKind::Yield(None)
        };
        self.leave();
        Ok(Expr::new(kind, self.span_from(start)))
    }

    /// A yield expression where one may stand alone (right of `=`), else `star_expressions`.
    pub(super) fn yield_or_testlist(&mut self) -> PResult<Expr> {
        if self.at_kw("yield") {
            return self.yield_expr();
        }
        self.testlist_star_expr()
    }

    fn sequence(&mut self, item: fn(&mut Self) -> PResult<Expr>) -> PResult<Expr> {
        let start = self.span();
        let first = item(self)?;
        if !self.at_op(",") {
            return Ok(first);
        }
        let mut items = vec![first];
        while self.eat_op(",").is_some() && self.at_expr_start() {
            items.push(item(self)?);
        }
        Ok(Expr::new(ExprKind::Tuple(items), self.span_from(start)))
    }

    /// `test: or_test ['if' or_test 'else' test] | lambdef`
    pub(super) fn test(&mut self) -> PResult<Expr> {
        if self.at_kw("lambda") {
            return self.lambda();
        }
        self.enter()?;
        let start = self.span();
        let body = self.or_test()?;
        let expr = if self.eat_kw("if").is_some() {
            let test = self.or_test()?;
            // Before a `:` the statement itself is malformed (`x if y:`), not the expression.
            if self.at_op(":") {
                return Err(self.unexpected());
            }
            if self.eat_kw("else").is_none() {
                return Err(CompileError::syntax(
                    "expected 'else' after 'if' expression",
                    self.span_from(body.span),
                ));
            }
            let orelse = self.test()?;
            let span = self.span_from(start);
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
        self.leave();
        Ok(expr)
    }

    pub(super) fn or_test(&mut self) -> PResult<Expr> {
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
        let start = self.span();
        let first = operand(self)?;
        if !self.at_kw(kw) {
            return Ok(first);
        }
        let mut values = vec![first];
        while self.eat_kw(kw).is_some() {
            values.push(operand(self)?);
        }
        Ok(Expr::new(
            ExprKind::BoolOp { op, values },
            self.span_from(start),
        ))
    }

    /// `not_test: 'not' not_test | comparison`
    fn not_test(&mut self) -> PResult<Expr> {
        let Some(start) = self.eat_kw("not") else {
            return self.comparison();
        };
        self.enter()?;
        let operand = self.not_test()?;
        self.leave();
        let span = self.span_from(start);
        Ok(unary(UnaryOp::Not, operand, span))
    }

    /// `comparison: expr (comp_op expr)*`, one chain node for `a < b <= c`.
    fn comparison(&mut self) -> PResult<Expr> {
        let start = self.span();
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
        let span = self.span_from(start);
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
        let start = self.span();
        let mut left = self.binary(level + 1)?;
        let mut chain = 0;
        while let Some(&(_, op)) = ops.iter().find(|(s, _)| self.at_op(s)) {
            self.advance();
            chain += 1;
            self.deepen(1)?;
            let right = self.binary(level + 1)?;
            let span = self.span_from(start);
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
        let span = self.span_from(start);
        Ok(unary(op, operand, span))
    }

    /// `power: await_primary ['**' factor]`
    fn power(&mut self) -> PResult<Expr> {
        let start = self.span();
        let base = self.await_primary()?;
        if self.eat_op("**").is_none() {
            return Ok(base);
        }
        self.enter()?;
        let exponent = self.factor()?;
        self.leave();
        let span = self.span_from(start);
        Ok(Expr::new(
            ExprKind::BinOp {
                left: Box::new(base),
                op: BinaryOp::Pow,
                right: Box::new(exponent),
            },
            span,
        ))
    }
}

impl Parser<'_> {
    /// `await_primary: 'await' primary | primary`
    fn await_primary(&mut self) -> PResult<Expr> {
        let Some(start) = self.eat_kw("await") else {
            return self.primary();
        };
        if !self.in_function {
            self.defer(CompileError::syntax("'await' outside function", start));
        } else if !self.in_async {
            self.defer(CompileError::syntax(
                "'await' outside async function",
                start,
            ));
        }
        self.enter()?;
        let value = self.primary()?;
        self.leave();
        let span = self.span_from(start);
        Ok(Expr::new(ExprKind::Await(Box::new(value)), span))
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
