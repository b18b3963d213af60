//! The syntax tree. In: built by `parser`. Out: read and rewritten by `fold`, read by `scope` and
//! `codegen`. Shapes follow CPython's `ast` module so later grammar slots in beside them. Every
//! statement and expression carries the `Span` of its source text.

use num_bigint::BigInt;

pub use frost_runtime::image::{BinaryOp, CompareOp, UnaryOp};

/// Byte range `start..end` of the source text.
#[derive(Copy, Clone, PartialEq, Eq, Debug, Default, Hash)]
pub struct Span {
    pub start: u32,
    pub end: u32,
}

impl Span {
    pub const fn new(start: u32, end: u32) -> Span {
        Span { start, end }
    }

    /// The smallest span covering both.
    pub fn to(self, other: Span) -> Span {
        Span {
            start: self.start.min(other.start),
            end: self.end.max(other.end),
        }
    }
}

/// A parsed source file.
#[derive(Clone, PartialEq, Debug, Default)]
pub struct Module {
    pub body: Vec<Stmt>,
}

/// A statement.
#[derive(Clone, PartialEq, Debug)]
pub struct Stmt {
    pub kind: StmtKind,
    pub span: Span,
}

/// An identifier where it is not an expression (`def NAME`, `global NAME`, `import a as NAME`).
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct Ident {
    pub name: String,
    pub span: Span,
}

#[derive(Clone, PartialEq, Debug)]
pub enum StmtKind {
    /// An expression evaluated for its effect.
    Expr(Expr),
    /// `t1 = t2 = value`: one or more targets (Name, Attribute, Subscript, Tuple, List).
    Assign {
        targets: Vec<Expr>,
        value: Expr,
    },
    /// `target op= value`.
    AugAssign {
        target: Expr,
        op: BinaryOp,
        value: Expr,
    },
    /// `target: annotation [= value]`. The annotation is parsed and never evaluated.
    AnnAssign {
        target: Expr,
        annotation: Expr,
        value: Option<Expr>,
    },
    FunctionDef(Box<FunctionDef>),
    Return(Option<Expr>),
    If {
        test: Expr,
        body: Vec<Stmt>,
        orelse: Vec<Stmt>,
    },
    While {
        test: Expr,
        body: Vec<Stmt>,
        orelse: Vec<Stmt>,
    },
    For {
        target: Expr,
        iter: Expr,
        body: Vec<Stmt>,
        orelse: Vec<Stmt>,
    },
    Break,
    Continue,
    Pass,
    Global(Vec<Ident>),
    /// `del t1, t2`.
    Delete(Vec<Expr>),
    Assert {
        test: Expr,
        msg: Option<Expr>,
    },
    /// `raise`, `raise exc`, `raise exc from cause`.
    Raise {
        exc: Option<Expr>,
        cause: Option<Expr>,
    },
    Try {
        body: Vec<Stmt>,
        handlers: Vec<ExceptHandler>,
        orelse: Vec<Stmt>,
        finalbody: Vec<Stmt>,
    },
    /// `import a.b as c, d`.
    Import(Vec<Alias>),
    /// `from .mod import a as b`; `module` is None for `from . import x`.
    ImportFrom {
        module: Option<Ident>,
        names: Vec<Alias>,
        level: u32,
    },
}

/// `def name(params): body`.
#[derive(Clone, PartialEq, Debug)]
pub struct FunctionDef {
    pub name: Ident,
    pub params: Vec<Param>,
    pub returns: Option<Expr>,
    pub body: Vec<Stmt>,
}

/// A positional parameter with its optional default and annotation.
#[derive(Clone, PartialEq, Debug)]
pub struct Param {
    pub name: Ident,
    pub annotation: Option<Expr>,
    pub default: Option<Expr>,
}

/// `except type as name: body`; a bare `except:` has no type.
#[derive(Clone, PartialEq, Debug)]
pub struct ExceptHandler {
    pub type_: Option<Expr>,
    pub name: Option<Ident>,
    pub body: Vec<Stmt>,
    pub span: Span,
}

/// `name as asname` in an import; `name` may be dotted (`a.b`).
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct Alias {
    pub name: Ident,
    pub asname: Option<Ident>,
}

/// An expression.
#[derive(Clone, PartialEq, Debug)]
pub struct Expr {
    pub kind: ExprKind,
    pub span: Span,
}

#[derive(Clone, PartialEq, Debug)]
pub enum ExprKind {
    Name(String),
    Constant(Constant),
    /// `a and b and c` / `a or b`: two or more values.
    BoolOp {
        op: BoolOp,
        values: Vec<Expr>,
    },
    BinOp {
        left: Box<Expr>,
        op: BinaryOp,
        right: Box<Expr>,
    },
    /// `-x`, `+x`, `~x`, `not x`.
    UnaryOp {
        op: UnaryOp,
        operand: Box<Expr>,
    },
    /// `a < b <= c`: `ops.len() == comparators.len() >= 1`.
    Compare {
        left: Box<Expr>,
        ops: Vec<CompareOp>,
        comparators: Vec<Expr>,
    },
    /// `body if test else orelse`.
    IfExp {
        test: Box<Expr>,
        body: Box<Expr>,
        orelse: Box<Expr>,
    },
    Call {
        func: Box<Expr>,
        args: Vec<Expr>,
        keywords: Vec<Keyword>,
    },
    Attribute {
        value: Box<Expr>,
        attr: Ident,
    },
    Subscript {
        value: Box<Expr>,
        index: Box<Expr>,
    },
    Tuple(Vec<Expr>),
    List(Vec<Expr>),
    /// `{k: v, ...}`.
    Dict(Vec<(Expr, Expr)>),
}

/// `name=value` in a call.
#[derive(Clone, PartialEq, Debug)]
pub struct Keyword {
    pub arg: Ident,
    pub value: Expr,
}

#[derive(Copy, Clone, PartialEq, Eq, Debug)]
pub enum BoolOp {
    And,
    Or,
}

/// A literal, or the result of folding. `Tuple` only comes from `fold`.
#[derive(Clone, PartialEq, Debug)]
pub enum Constant {
    None,
    True,
    False,
    Ellipsis,
    Int(BigInt),
    Float(f64),
    Str(String),
    Bytes(Vec<u8>),
    Tuple(Vec<Constant>),
}

impl Expr {
    pub fn new(kind: ExprKind, span: Span) -> Expr {
        Expr { kind, span }
    }

    /// The constant, if this expression is one.
    pub fn as_constant(&self) -> Option<&Constant> {
        match &self.kind {
            ExprKind::Constant(c) => Some(c),
            _ => None,
        }
    }
}

impl Constant {
    /// Python truthiness of a constant (for logical folding and dead branches).
    pub fn is_truthy(&self) -> bool {
        use num_traits::Zero;
        match self {
            Constant::None | Constant::False => false,
            Constant::True | Constant::Ellipsis => true,
            Constant::Int(i) => !i.is_zero(),
            Constant::Float(f) => *f != 0.0,
            Constant::Str(s) => !s.is_empty(),
            Constant::Bytes(b) => !b.is_empty(),
            Constant::Tuple(t) => !t.is_empty(),
        }
    }

    /// Strict equality for the constant table: same type, equal value, `0.0` apart from `-0.0`,
    /// NaN equal to the same NaN bits, tuples element by element.
    pub fn strict_eq(&self, other: &Constant) -> bool {
        match (self, other) {
            (Constant::Float(a), Constant::Float(b)) => a.to_bits() == b.to_bits(),
            (Constant::Tuple(a), Constant::Tuple(b)) => {
                a.len() == b.len() && a.iter().zip(b).all(|(x, y)| x.strict_eq(y))
            }
            _ => self == other,
        }
    }
}
