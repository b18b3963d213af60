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
    ClassDef(Box<ClassDef>),
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
    /// `[async] for target in iter: body else: orelse`.
    For {
        is_async: bool,
        target: Expr,
        iter: Expr,
        body: Vec<Stmt>,
        orelse: Vec<Stmt>,
    },
    Break,
    Continue,
    Pass,
    Global(Vec<Ident>),
    Nonlocal(Vec<Ident>),
    /// `[async] with a as x, b: body`.
    With {
        is_async: bool,
        items: Vec<WithItem>,
        body: Vec<Stmt>,
    },
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
    /// `from .mod import a as b`; `module` is None for `from . import x`; `from m import *` is
    /// one alias named `*`.
    ImportFrom {
        module: Option<Ident>,
        names: Vec<Alias>,
        level: u32,
    },
}

/// `@decorators [async] def name(params) -> returns: body`.
#[derive(Clone, PartialEq, Debug)]
pub struct FunctionDef {
    pub name: Ident,
    pub params: Parameters,
    pub returns: Option<Expr>,
    pub body: Vec<Stmt>,
    /// Applied bottom-up after the function is made.
    pub decorators: Vec<Expr>,
    pub is_async: bool,
}

/// `@decorators class name(bases, keywords): body`.
#[derive(Clone, PartialEq, Debug)]
pub struct ClassDef {
    pub name: Ident,
    pub bases: Vec<Expr>,
    /// `metaclass=...` and other class keywords; `**kw` has `arg: None`.
    pub keywords: Vec<Keyword>,
    pub body: Vec<Stmt>,
    pub decorators: Vec<Expr>,
}

/// A parameter list: `def f(a, b=1, *args, c, d=2, **kwargs)`.
#[derive(Clone, PartialEq, Debug, Default)]
pub struct Parameters {
    /// Positional-or-keyword parameters, in order.
    pub args: Vec<Param>,
    /// `*args` (no default).
    pub vararg: Option<Param>,
    /// Keyword-only parameters (after `*` or `*args`), each with an optional default.
    pub kwonly: Vec<Param>,
    /// `**kwargs` (no default).
    pub kwarg: Option<Param>,
}

impl Parameters {
    /// Every parameter in local-slot order: positional, keyword-only, `*args`, `**kwargs`.
    pub fn iter(&self) -> impl Iterator<Item = &Param> {
        self.args
            .iter()
            .chain(self.kwonly.iter())
            .chain(self.vararg.iter())
            .chain(self.kwarg.iter())
    }

    /// The same, mutably (for fold's substitution in defaults and annotations).
    pub fn iter_mut(&mut self) -> impl Iterator<Item = &mut Param> {
        self.args
            .iter_mut()
            .chain(self.kwonly.iter_mut())
            .chain(self.vararg.iter_mut())
            .chain(self.kwarg.iter_mut())
    }

    /// Number of parameters of every kind.
    pub fn len(&self) -> usize {
        self.args.len()
            + self.kwonly.len()
            + usize::from(self.vararg.is_some())
            + usize::from(self.kwarg.is_some())
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

/// `context as target` in a `with` statement.
#[derive(Clone, PartialEq, Debug)]
pub struct WithItem {
    pub context: Expr,
    pub target: Option<Expr>,
}

/// `for target in iter if cond1 if cond2` inside a comprehension.
#[derive(Clone, PartialEq, Debug)]
pub struct Comprehension {
    pub target: Expr,
    pub iter: Expr,
    pub ifs: Vec<Expr>,
    pub is_async: bool,
}

/// A parameter with its optional default and annotation.
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
    /// `f(a, *b, k=v, **d)`: `args` may hold `Starred`; a `**d` keyword has `arg: None`.
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
    /// `{k: v, **d, ...}`: a `**d` entry has no key.
    Dict(Vec<(Option<Expr>, Expr)>),
    /// `{a, *b}`.
    Set(Vec<Expr>),
    /// `*value` in a call, display or assignment target.
    Starred(Box<Expr>),
    /// `lower:upper:step` inside a subscript (possibly inside an index tuple).
    Slice {
        lower: Option<Box<Expr>>,
        upper: Option<Box<Expr>>,
        step: Option<Box<Expr>>,
    },
    /// `lambda params: body`.
    Lambda {
        params: Box<Parameters>,
        body: Box<Expr>,
    },
    /// `target := value`; the target is a Name.
    NamedExpr {
        target: Box<Expr>,
        value: Box<Expr>,
    },
    ListComp {
        elt: Box<Expr>,
        generators: Vec<Comprehension>,
    },
    SetComp {
        elt: Box<Expr>,
        generators: Vec<Comprehension>,
    },
    DictComp {
        key: Box<Expr>,
        value: Box<Expr>,
        generators: Vec<Comprehension>,
    },
    GeneratorExp {
        elt: Box<Expr>,
        generators: Vec<Comprehension>,
    },
    Yield(Option<Box<Expr>>),
    YieldFrom(Box<Expr>),
    Await(Box<Expr>),
    /// An f-string: `Constant(Str)` pieces and `FormattedValue`s, in order.
    JoinedStr(Vec<Expr>),
    /// `{value!conversion:format_spec}` inside an f-string; the spec is a `JoinedStr`.
    FormattedValue {
        value: Box<Expr>,
        /// `Some('s' | 'r' | 'a')`.
        conversion: Option<char>,
        format_spec: Option<Box<Expr>>,
    },
}

/// `name=value` in a call or class definition; `**value` has no name.
#[derive(Clone, PartialEq, Debug)]
pub struct Keyword {
    pub arg: Option<Ident>,
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
    /// An imaginary literal's value or a folded complex result: (real, imag).
    Complex(f64, f64),
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
            Constant::Complex(re, im) => *re != 0.0 || *im != 0.0,
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
            (Constant::Complex(a, b), Constant::Complex(c, d)) => {
                a.to_bits() == c.to_bits() && b.to_bits() == d.to_bits()
            }
            (Constant::Tuple(a), Constant::Tuple(b)) => {
                a.len() == b.len() && a.iter().zip(b).all(|(x, y)| x.strict_eq(y))
            }
            _ => self == other,
        }
    }
}
